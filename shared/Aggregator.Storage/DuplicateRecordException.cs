namespace Aggregator.Storage;

/// <summary>A write collided with a unique key, e.g. a second period for the same year and root unit.</summary>
public sealed class DuplicateRecordException : Exception
{
    public DuplicateRecordException()
    {
    }

    public DuplicateRecordException(string message)
        : base(message)
    {
    }

    public DuplicateRecordException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

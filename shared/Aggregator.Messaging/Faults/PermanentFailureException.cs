namespace Aggregator.Messaging.Faults;

/// <summary>
/// Thrown by a consumer when retrying cannot help (the message refers to something that does not exist, the
/// data breaks an invariant): the message goes straight to the endpoint's <c>_error</c> queue without retries.
/// </summary>
public class PermanentFailureException : Exception
{
    public PermanentFailureException()
    {
    }

    public PermanentFailureException(string message)
        : base(message)
    {
    }

    public PermanentFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace Aggregator.Core.Values;

/// <summary>A submission document is not valid JSON or lacks a required field; the message is Chinese, for the submitter.</summary>
public class SubmissionFormatException : Exception
{
    public SubmissionFormatException()
    {
    }

    public SubmissionFormatException(string message)
        : base(message)
    {
    }

    public SubmissionFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The reader's rule id (<see cref="Rules.DocumentRuleIds"/>), when the reader refused the document.</summary>
    public string? Rule { get; init; }
}

/// <summary>A submission names a format the catalog does not know.</summary>
public sealed class UnknownFormatException : SubmissionFormatException
{
    public UnknownFormatException()
    {
    }

    public UnknownFormatException(string message)
        : base(message)
    {
    }

    public UnknownFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The format id as submitted.</summary>
    public string? FormatId { get; init; }
}

namespace Aggregator.Import;

/// <summary>The file is not a Word report that can be read; <see cref="Code"/> is a stable English code.</summary>
public sealed class WordReportException : Exception
{
    public WordReportException()
    {
        Code = WordReportProblems.Unreadable;
    }

    public WordReportException(string message)
        : base(message)
    {
        Code = WordReportProblems.Unreadable;
    }

    public WordReportException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = WordReportProblems.Unreadable;
    }

    public WordReportException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    public string Code { get; }
}

/// <summary>The stable codes of <see cref="WordReportException"/>.</summary>
public static class WordReportProblems
{
    /// <summary>Not a .docx file (not a zip package, or no main document).</summary>
    public const string Unreadable = "word_unreadable";

    /// <summary>No year in the title and none given, so the form is unknown.</summary>
    public const string NoYear = "word_no_year";

    /// <summary>None of the form's tables was found.</summary>
    public const string NoTables = "word_no_tables";
}

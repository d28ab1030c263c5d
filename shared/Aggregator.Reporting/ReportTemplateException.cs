namespace Aggregator.Reporting;

/// <summary>A report template failed to parse or to render; names the template file and the line.</summary>
public sealed class ReportTemplateException : Exception
{
    public ReportTemplateException()
    {
    }

    public ReportTemplateException(string message)
        : base(message)
    {
    }

    public ReportTemplateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal ReportTemplateException(string templatePath, int line, int column, string reason, Exception? innerException = null)
        : base($"Report template {templatePath}, line {line}, column {column}: {reason}", innerException)
    {
        TemplatePath = templatePath;
        Line = line;
        Column = column;
        Reason = reason;
    }

    /// <summary>The template file (a path in the override folder, or the embedded template's name).</summary>
    public string? TemplatePath { get; }

    /// <summary>The line, from 1.</summary>
    public int Line { get; }

    /// <summary>The column, from 1.</summary>
    public int Column { get; }

    /// <summary>What went wrong, without the location.</summary>
    public string? Reason { get; }
}

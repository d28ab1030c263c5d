namespace Aggregator.Reporting;

/// <summary>What a report is rendered as.</summary>
public enum ReportOutputFormat
{
    /// <summary>A printable HTML page (A4).</summary>
    Html,

    /// <summary>Markdown text.</summary>
    Markdown,
}

/// <summary>Facts about each output format that callers need to serve or save a report.</summary>
public static class ReportOutputFormats
{
    /// <summary>Every output format.</summary>
    public static IReadOnlyList<ReportOutputFormat> All { get; } = [ReportOutputFormat.Html, ReportOutputFormat.Markdown];

    /// <summary>The HTTP media type, with charset.</summary>
    public static string MediaType(this ReportOutputFormat format) => format switch
    {
        ReportOutputFormat.Html => "text/html; charset=utf-8",
        ReportOutputFormat.Markdown => "text/markdown; charset=utf-8",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>The file extension for a saved report, with the dot.</summary>
    public static string FileExtension(this ReportOutputFormat format) => format switch
    {
        ReportOutputFormat.Html => ".html",
        ReportOutputFormat.Markdown => ".md",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>The template folder and file extension of the output format (html/… .sbn-html).</summary>
    internal static (string Folder, string Extension) TemplateLocation(this ReportOutputFormat format) => format switch
    {
        ReportOutputFormat.Html => ("html", ".sbn-html"),
        ReportOutputFormat.Markdown => ("markdown", ".sbn-md"),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };
}

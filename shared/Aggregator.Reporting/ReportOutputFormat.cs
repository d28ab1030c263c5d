namespace Aggregator.Reporting;

/// <summary>What a report is rendered as.</summary>
public enum ReportOutputFormat
{
    /// <summary>A printable HTML page (A4).</summary>
    Html,

    /// <summary>Markdown text.</summary>
    Markdown,

    /// <summary>A Word document (.docx) in the published layout.</summary>
    Docx,

    /// <summary>An Excel workbook (.xlsx): one sheet per national table, the per-unit breakdown and the completeness.</summary>
    Xlsx,
}

/// <summary>Facts about each output format that callers need to serve or save a report.</summary>
public static class ReportOutputFormats
{
    /// <summary>Every output format.</summary>
    public static IReadOnlyList<ReportOutputFormat> All { get; } =
        [ReportOutputFormat.Html, ReportOutputFormat.Markdown, ReportOutputFormat.Docx, ReportOutputFormat.Xlsx];

    /// <summary>Whether the format is a binary file rather than UTF-8 text.</summary>
    public static bool IsBinary(this ReportOutputFormat format) => format is ReportOutputFormat.Docx or ReportOutputFormat.Xlsx;

    /// <summary>Whether the format is written from a Scriban template (the binary formats are written in code).</summary>
    internal static bool IsTemplated(this ReportOutputFormat format) => !format.IsBinary();

    /// <summary>The HTTP media type, with charset for text.</summary>
    public static string MediaType(this ReportOutputFormat format) => format switch
    {
        ReportOutputFormat.Html => "text/html; charset=utf-8",
        ReportOutputFormat.Markdown => "text/markdown; charset=utf-8",
        ReportOutputFormat.Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ReportOutputFormat.Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>The file extension for a saved report, with the dot.</summary>
    public static string FileExtension(this ReportOutputFormat format) => format switch
    {
        ReportOutputFormat.Html => ".html",
        ReportOutputFormat.Markdown => ".md",
        ReportOutputFormat.Docx => ".docx",
        ReportOutputFormat.Xlsx => ".xlsx",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>The template folder and file extension of a templated output format (html/… .sbn-html).</summary>
    internal static (string Folder, string Extension) TemplateLocation(this ReportOutputFormat format) => format switch
    {
        ReportOutputFormat.Html => ("html", ".sbn-html"),
        ReportOutputFormat.Markdown => ("markdown", ".sbn-md"),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Only HTML and Markdown are written from templates."),
    };
}

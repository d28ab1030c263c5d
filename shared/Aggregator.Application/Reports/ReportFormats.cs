using Aggregator.Reporting;
using Aggregator.Storage;

namespace Aggregator.Application.Reports;

/// <summary>
/// Maps the names used in URLs and the database (<c>html</c>, <c>md</c>, <c>docx</c>, <c>xlsx</c>) to the renderer's
/// output formats, and a format's file to the text the reports table keeps.
/// </summary>
public static class ReportFormats
{
    /// <summary>The names a caller may ask for, for messages.</summary>
    public const string Names = "html、md、docx 或 xlsx";

    public static ReportOutputFormat? Parse(string? name) => name?.Trim().ToUpperInvariant() switch
    {
        "HTML" => ReportOutputFormat.Html,
        "MD" or "MARKDOWN" => ReportOutputFormat.Markdown,
        "DOCX" => ReportOutputFormat.Docx,
        "XLSX" => ReportOutputFormat.Xlsx,
        _ => null,
    };

    public static string StorageName(ReportOutputFormat output) => output switch
    {
        ReportOutputFormat.Html => ReportFormat.Html,
        ReportOutputFormat.Markdown => ReportFormat.Markdown,
        ReportOutputFormat.Docx => ReportFormat.Docx,
        ReportOutputFormat.Xlsx => ReportFormat.Xlsx,
        _ => throw new ArgumentOutOfRangeException(nameof(output), output, null),
    };

    /// <summary>The edition names a caller may ask for, for messages.</summary>
    public const string EditionNames = "public 或 internal";

    /// <summary>public (the default) or internal; null for anything else.</summary>
    public static ReportEdition? ParseEdition(string? name) => name?.Trim().ToUpperInvariant() switch
    {
        null or "" or "PUBLIC" => ReportEdition.Public,
        "INTERNAL" => ReportEdition.Internal,
        _ => null,
    };

    /// <summary>The stored name of a format in an edition: html for the public edition, html-internal for the internal one.</summary>
    public static string StorageName(ReportOutputFormat output, ReportEdition edition) =>
        edition == ReportEdition.Internal ? StorageName(output) + InternalSuffix : StorageName(output);

    private const string InternalSuffix = "-internal";

    /// <summary>The download name of an edition: the internal one says so (…年度报告（内部版）.docx).</summary>
    public static string FileName(string unitName, int year, ReportOutputFormat output, ReportEdition edition) =>
        edition == ReportEdition.Internal
            ? $"{unitName}{year}年度政府信息公开工作年度报告（内部版）{output.FileExtension()}"
            : FileName(unitName, year, output);

    // The content column is text in every dialect; a binary file is kept there as base64 so that the three schemas
    // need no new column and the text formats stay readable in the database.
    public static string ToStored(ReportOutputFormat output, byte[] file) =>
        output.IsBinary() ? Convert.ToBase64String(file) : System.Text.Encoding.UTF8.GetString(file);

    public static byte[] FromStored(ReportOutputFormat output, string content) =>
        output.IsBinary() ? Convert.FromBase64String(content) : System.Text.Encoding.UTF8.GetBytes(content);

    /// <summary>The download name: the report's title and the format's extension (温州市洞头区2019年度政府信息公开工作年度报告.docx).</summary>
    public static string FileName(string unitName, int year, ReportOutputFormat output) =>
        $"{unitName}{year}年度政府信息公开工作年度报告{output.FileExtension()}";
}

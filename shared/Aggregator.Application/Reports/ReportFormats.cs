using Aggregator.Reporting;
using Aggregator.Storage;

namespace Aggregator.Application.Reports;

/// <summary>Maps the names used in URLs and the database (<c>html</c>, <c>md</c>) to the renderer's output formats.</summary>
public static class ReportFormats
{
    public static ReportOutputFormat? Parse(string? name) => name?.Trim().ToUpperInvariant() switch
    {
        "HTML" => ReportOutputFormat.Html,
        "MD" or "MARKDOWN" => ReportOutputFormat.Markdown,
        _ => null,
    };

    public static string StorageName(ReportOutputFormat output) => output switch
    {
        ReportOutputFormat.Html => ReportFormat.Html,
        ReportOutputFormat.Markdown => ReportFormat.Markdown,
        _ => throw new ArgumentOutOfRangeException(nameof(output), output, null),
    };
}

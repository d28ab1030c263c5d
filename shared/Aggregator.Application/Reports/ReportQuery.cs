using System.Text;
using Aggregator.Application.Results;
using Aggregator.Reporting;
using Aggregator.Storage;
using Aggregator.Storage.Periods;
using Aggregator.Storage.Reports;
using Aggregator.Storage.Rollups;
using Aggregator.Storage.Units;

namespace Aggregator.Application.Reports;

/// <summary>A rendered report ready to serve.</summary>
/// <param name="MediaType">With charset for text, e.g. <c>text/html; charset=utf-8</c>.</param>
/// <param name="File">The file's bytes: UTF-8 text for HTML and Markdown, the document for Word and Excel.</param>
/// <param name="FileName">The download name, the report's title with the format's extension.</param>
public sealed record ReportContent(Guid RollupId, string Format, string MediaType, byte[] File, string FileName, bool IsBinary, DateTimeOffset RenderedAt)
{
    /// <summary>The text of an HTML or Markdown report.</summary>
    /// <exception cref="InvalidOperationException">The report is a Word or Excel file.</exception>
    public string Content => IsBinary
        ? throw new InvalidOperationException($"The {Format} report is a binary file; read {nameof(File)}.")
        : Encoding.UTF8.GetString(File);
}

public sealed class ReportQuery(ReportRepository reports, RollupRepository rollups, PeriodRepository periods, UnitRepository units)
{
    /// <summary>
    /// The report of a rollup in <paramref name="format"/> (<c>html</c>, <c>md</c>, <c>docx</c> or <c>xlsx</c>):
    /// <c>not_found</c> for an unknown rollup, <c>invalid_request</c> for another format, <c>rollup_failed</c> (with the
    /// reason) for a failed rollup, <c>report_not_ready</c> until that format has been rendered (the public HTML report is
    /// stored first, the others with the rollup's completion).
    /// </summary>
    public Task<Result<ReportContent>> GetAsync(Guid rollupId, string format, CancellationToken cancellationToken) =>
        GetAsync(rollupId, format, null, cancellationToken);

    /// <summary>As <see cref="GetAsync(Guid, string, CancellationToken)"/>, in an edition: <c>public</c> (null: the
    /// default, what is published) or <c>internal</c> (every annex); another name is <c>invalid_request</c>.</summary>
    public async Task<Result<ReportContent>> GetAsync(Guid rollupId, string format, string? edition, CancellationToken cancellationToken)
    {
        if (ReportFormats.Parse(format) is not { } output)
        {
            return Problem.InvalidRequest($"不支持的报告格式“{format}”，可选 {ReportFormats.Names}。", new FieldError("format", $"应为 {ReportFormats.Names}"));
        }

        if (ReportFormats.ParseEdition(edition) is not { } reportEdition)
        {
            return Problem.InvalidRequest($"不支持的报告版本“{edition}”，可选 {ReportFormats.EditionNames}。", new FieldError("edition", $"应为 {ReportFormats.EditionNames}"));
        }

        var stored = await reports.GetAsync(rollupId, ReportFormats.StorageName(output, reportEdition), cancellationToken);
        var header = await rollups.GetHeaderAsync(rollupId, cancellationToken);
        // A format stored while the rollup renders is served at once; one left by a rendering that then failed is not.
        if (stored is not null && header is not null && header.Status != RollupStatus.Failed)
        {
            var period = await periods.GetAsync(header.PeriodId, cancellationToken);
            var unit = await units.GetAsync(header.UnitCode, cancellationToken);
            var fileName = period is null
                ? $"{header.UnitCode}政府信息公开工作年度报告{output.FileExtension()}"
                : ReportFormats.FileName(unit?.Name ?? header.UnitCode, period.Year, output, reportEdition);
            return new ReportContent(
                rollupId, stored.Format, output.MediaType(), ReportFormats.FromStored(output, stored.Content), fileName, output.IsBinary(), stored.RenderedAt);
        }

        return header switch
        {
            null => Problem.NotFound($"汇总 {rollupId}"),
            { Status: RollupStatus.Failed } failed => Problem.Of(ProblemCodes.RollupFailed, "汇总失败，没有报告", $"汇总 {rollupId} 失败（{failed.ErrorCode}）：{failed.Error}"),
            _ => Problem.Of(ProblemCodes.ReportNotReady, "报告尚未生成", $"汇总 {rollupId} 的报告尚未生成，请稍后再试。"),
        };
    }

    /// <summary>The formats of a rollup's report that can be downloaded now (one of <see cref="ReportFormat"/> each): while
    /// the rollup renders, the public HTML report once stored; none for a failed rollup.</summary>
    public async Task<IReadOnlyList<string>> ReadableFormatsAsync(Guid rollupId, CancellationToken cancellationToken) =>
        await rollups.GetHeaderAsync(rollupId, cancellationToken) is { Status: not RollupStatus.Failed }
            ? await reports.ListFormatsAsync(rollupId, cancellationToken)
            : [];
}

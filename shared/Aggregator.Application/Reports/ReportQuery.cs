using Aggregator.Application.Results;
using Aggregator.Reporting;
using Aggregator.Storage;
using Aggregator.Storage.Reports;
using Aggregator.Storage.Rollups;

namespace Aggregator.Application.Reports;

/// <summary>A rendered report ready to serve.</summary>
/// <param name="MediaType">With charset, e.g. <c>text/html; charset=utf-8</c>.</param>
public sealed record ReportContent(Guid RollupId, string Format, string MediaType, string Content, DateTimeOffset RenderedAt);

public sealed class ReportQuery(ReportRepository reports, RollupRepository rollups)
{
    /// <summary>
    /// The report of a rollup in <paramref name="format"/> (<c>html</c> or <c>md</c>): <c>not_found</c> for an unknown
    /// rollup, <c>invalid_request</c> for another format, <c>rollup_failed</c> (with the reason) for a failed rollup,
    /// <c>report_not_ready</c> until it has been rendered.
    /// </summary>
    public async Task<Result<ReportContent>> GetAsync(Guid rollupId, string format, CancellationToken cancellationToken)
    {
        if (ReportFormats.Parse(format) is not { } output)
        {
            return Problem.InvalidRequest($"不支持的报告格式“{format}”，可选 html 或 md。", new FieldError("format", "应为 html 或 md"));
        }

        var stored = await reports.GetAsync(rollupId, ReportFormats.StorageName(output), cancellationToken);
        if (stored is not null)
        {
            return new ReportContent(rollupId, stored.Format, output.MediaType(), stored.Content, stored.RenderedAt);
        }

        return await rollups.GetHeaderAsync(rollupId, cancellationToken) switch
        {
            null => Problem.NotFound($"汇总 {rollupId}"),
            { Status: RollupStatus.Failed } failed => Problem.Of(ProblemCodes.RollupFailed, "汇总失败，没有报告", $"汇总 {rollupId} 失败（{failed.ErrorCode}）：{failed.Error}"),
            _ => Problem.Of(ProblemCodes.ReportNotReady, "报告尚未生成", $"汇总 {rollupId} 的报告尚未生成，请稍后再试。"),
        };
    }
}

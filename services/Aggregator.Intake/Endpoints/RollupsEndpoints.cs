using Aggregator.Application.Periods;
using Aggregator.Application.Reports;
using Aggregator.Application.Results;
using Aggregator.Application.Rollups;
using Aggregator.Intake.Authentication;
using Aggregator.Intake.Problems;
using Aggregator.Storage.Rollups;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Aggregator.Intake.Endpoints;

/// <summary><c>POST /periods/{id}/rollups</c>, <c>GET /rollups/{id}</c>, <c>POST /rollups/{id}/retry</c>, <c>GET /rollups/{id}/report</c>.</summary>
internal static class RollupsEndpoints
{
    /// <summary>
    /// Reports are rendered from unit-supplied text; even though the templates escape it, the page may run no script,
    /// load nothing from elsewhere and not be framed.
    /// </summary>
    public const string ReportContentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private const string DocxMediaType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    private const string XlsxMediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/periods/{id}/rollups", RequestAsync)
            .WithTags("汇总")
            .RequireAuthorization(IntakePolicies.Admin)
            .WithName("RequestRollup")
            .WithSummary("发起汇总（默认汇总填报期的根单位；unit 指定其下某一单位的子树）")
            .Produces<RollupReceiptResponse>(StatusCodes.Status202Accepted)
            .ProducesApiProblems(400, 404, 422);

        api.MapGet("/periods/{id}/rollups", ListAsync)
            .WithTags("汇总")
            .RequireAuthorization(IntakePolicies.AdminOrOps)
            .WithName("ListPeriodRollups")
            .WithSummary("填报期的汇总，新的在前：状态、请求与完成时间、失败原因")
            .Produces<RollupListResponse>()
            .ProducesApiProblems(400, 404);

        api.MapGet("/rollups/{id}", GetAsync)
            .WithTags("汇总")
            .RequireAuthorization(IntakePolicies.AdminOrOps)
            .WithName("GetRollup")
            .WithSummary("查看汇总结果：合计数、参与汇总的版本、缺报和被退回的单位、合计表的校验")
            .Produces<RollupResponse>()
            .ProducesApiProblems(400, 404);

        api.MapPost("/rollups/{id}/retry", RetryAsync)
            .WithTags("汇总")
            .RequireAuthorization(IntakePolicies.AdminOrOps)
            .WithName("RetryRollup")
            .WithSummary("重试失败的汇总：未算出合计的重新汇总，报告生成失败的重新生成报告")
            .Produces<RollupReceiptResponse>(StatusCodes.Status202Accepted)
            .ProducesApiProblems(400, 404, 409);

        api.MapGet("/rollups/{id}/report", ReportAsync)
            .WithTags("汇总")
            .RequireAuthorization(IntakePolicies.Admin)
            .WithName("GetReport")
            .WithSummary("下载汇总报告（format=html、md、docx 或 xlsx；edition=public 为公开发布版（缺省），internal 为含全部附件的内部版）")
            .Produces<string>(StatusCodes.Status200OK, "text/html", "text/markdown")
            .Produces<byte[]>(StatusCodes.Status200OK, DocxMediaType, XlsxMediaType)
            .ProducesApiProblems(400, 404);

        api.MapGet("/rollups/{id}/drilldown", DrilldownAsync)
            .WithTags("汇总")
            .RequireAuthorization(IntakePolicies.Admin)
            .WithName("DrillDownRollup")
            .WithSummary("追溯一个合计数：cell 指定单元格，unit 指定节点（默认汇总根单位），列出其直接下级各自的数值（单位为所汇总版本的数值，下级节点为其子树之和）")
            .Produces<RollupDrilldownResponse>()
            .ProducesApiProblems(400, 404, 409);
    }

    private static async Task<IResult> DrilldownAsync(Guid id, string? cell, string? unit, RollupDrilldown drilldown, CancellationToken cancellationToken)
    {
        var result = await drilldown.GetAsync(id, cell, unit, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(RollupDrilldownResponse.From(result.Value)) : result.Problem.ToResult();
    }

    private static async Task<IResult> RequestAsync(Guid id, string? unit, Caller caller, RollupRequests requests, CancellationToken cancellationToken)
    {
        var result = await requests.RequestAsync(id, unit, caller.Actor, cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Problem.ToResult();
        }

        var receipt = result.Value;
        return TypedResults.Accepted(
            $"{IntakeRoutes.Prefix}/rollups/{receipt.RollupId}", new RollupReceiptResponse(receipt.RollupId, receipt.Status, receipt.UnitCode));
    }

    private static async Task<IResult> RetryAsync(Guid id, Caller caller, RollupRetries retries, CancellationToken cancellationToken)
    {
        var result = await retries.RetryAsync(id, caller.Actor, cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Problem.ToResult();
        }

        var receipt = result.Value;
        return TypedResults.Accepted(
            $"{IntakeRoutes.Prefix}/rollups/{receipt.RollupId}", new RollupReceiptResponse(receipt.RollupId, receipt.Status, receipt.UnitCode));
    }

    private static async Task<IResult> ListAsync(Guid id, PeriodService periods, RollupQuery query, CancellationToken cancellationToken)
    {
        if (await periods.GetAsync(id, cancellationToken) is null)
        {
            return Problem.PeriodNotFound(id).ToResult();
        }

        var rollups = await query.ListAsync(id, cancellationToken);
        return TypedResults.Ok(new RollupListResponse(id, [.. rollups.OrderByDescending(r => r.RequestedAt).Select(RollupSummaryResponse.From)]));
    }

    private static async Task<IResult> GetAsync(Guid id, RollupQuery query, CancellationToken cancellationToken) =>
        await query.GetAsync(id, cancellationToken) is { } view
            ? TypedResults.Ok(RollupResponse.From(view))
            : Problem.NotFound($"汇总 {id}").ToResult();

    private const string ReportRetryAfterSeconds = "1";

    /// <param name="edition">public (the default: what is published, without annexes or validation messages) or internal.</param>
    internal static async Task<IResult> ReportAsync(Guid id, string? format, string? edition, HttpContext context, ReportQuery query)
    {
        var result = await query.GetAsync(id, format ?? "html", edition, context.RequestAborted);
        if (!result.IsSuccess)
        {
            if (result.Problem.Code == ProblemCodes.ReportNotReady)
            {
                // A district's report takes well under a second to render; a client polls no faster than this.
                context.Response.Headers.RetryAfter = ReportRetryAfterSeconds;
            }

            return result.Problem.ToResult();
        }

        var report = result.Value;
        context.Response.Headers.ContentSecurityPolicy = ReportContentSecurityPolicy;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        if (report.IsBinary)
        {
            // Sets Content-Disposition: attachment with an ASCII fallback and the Chinese name as RFC 5987 filename*.
            return TypedResults.File(report.File, report.MediaType, report.FileName);
        }

        var disposition = new ContentDispositionHeaderValue("inline");
        disposition.SetHttpFileName(report.FileName);
        context.Response.Headers.ContentDisposition = disposition.ToString();
        return TypedResults.Text(report.Content, report.MediaType);
    }
}

public sealed record RollupListResponse(Guid PeriodId, IReadOnlyList<RollupSummaryResponse> Rollups);

/// <param name="Status"><c>requested</c>, <c>rendering</c>, <c>completed</c> or <c>failed</c>.</param>
/// <param name="Stale">A unit of the subtree has had a newer version accepted since the rollup was computed.</param>
public sealed record RollupSummaryResponse(
    Guid RollupId, string UnitCode, string Status, DateTimeOffset RequestedAt, DateTimeOffset? CompletedAt, string? Error, string? ErrorCode, bool Stale)
{
    public static RollupSummaryResponse From(Rollup rollup) => new(
        rollup.Id, rollup.UnitCode, rollup.Status, rollup.RequestedAt, rollup.CompletedAt, rollup.Error, rollup.ErrorCode, rollup.StaleSince is not null);
}

public sealed record RollupReceiptResponse(Guid RollupId, string Status, string UnitCode);

/// <param name="Status"><c>requested</c>, <c>rendering</c>, <c>completed</c> (the report is downloadable) or <c>failed</c>.</param>
/// <param name="Error">Why the rollup failed, in Chinese.</param>
/// <param name="ErrorCode">A stable code for the failure, e.g. <c>report_render_failed</c>.</param>
/// <param name="Stale">A unit of the subtree has had a newer version accepted since the rollup was computed.</param>
/// <param name="Values">The consolidated cells that hold a number (money in 万元); blank cells are absent.</param>
/// <param name="Validation">The consolidated table's own violations.</param>
public sealed record RollupResponse(
    Guid RollupId,
    Guid PeriodId,
    string UnitCode,
    string Status,
    DateTimeOffset RequestedAt,
    DateTimeOffset? CompletedAt,
    string? Error,
    string? ErrorCode,
    bool Stale,
    IReadOnlyDictionary<string, decimal> Values,
    IReadOnlyList<IncludedUnitView> Included,
    IReadOnlyList<UnitReference> Missing,
    IReadOnlyList<RejectedUnitView> Rejected,
    IReadOnlyList<UnitReference> Pending,
    IReadOnlyList<ViolationResponse> Validation)
{
    public static RollupResponse From(RollupView view) => new(
        view.RollupId, view.PeriodId, view.UnitCode, view.Status, view.RequestedAt, view.CompletedAt, view.Error, view.ErrorCode, view.Stale,
        view.Values, view.Included, view.Missing, view.Rejected, view.Pending, [.. view.Validation.Select(ViolationResponse.From)]);
}

/// <param name="Total">The node's sum of the cell over the summed versions of its subtree (money in 万元); null when blank.</param>
/// <param name="StoredTotal">The rollup's stored value of the cell (its root's total).</param>
/// <param name="Own">The node's own summed version, when it reported for itself.</param>
/// <param name="Children">The node's direct children: a unit with its summed version and value, or a node with its
/// subtree's sum.</param>
public sealed record RollupDrilldownResponse(
    Guid RollupId,
    string RootUnitCode,
    string CellId,
    string CellLabel,
    string UnitCode,
    string UnitName,
    IReadOnlyList<UnitReference> Path,
    decimal? Total,
    decimal? StoredTotal,
    DrilldownRow? Own,
    IReadOnlyList<DrilldownRow> Children)
{
    public static RollupDrilldownResponse From(RollupDrilldownView view) => new(
        view.RollupId, view.RootUnitCode, view.CellId, view.CellLabel, view.UnitCode, view.UnitName, view.Path, view.Total, view.StoredTotal,
        view.Own, view.Children);
}

using System.Text.Json.Nodes;
using Aggregator.Application.Periods;
using Aggregator.Application.Results;
using Aggregator.Application.Reviews;
using Aggregator.Intake.Authentication;
using Aggregator.Intake.Json;
using Aggregator.Intake.Problems;
using Aggregator.Storage.Reviews;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;

namespace Aggregator.Intake.Endpoints;

/// <summary>
/// The district office's review tools: <c>POST /submissions/{id}/return</c>, <c>POST /submissions/{id}/accept</c>,
/// <c>GET /submissions/{id}/diff</c>, <c>POST /periods/{id}/units/{unitCode}/reopen</c> and <c>…/close</c>.
/// </summary>
internal static class ReviewEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var submissions = api.MapGroup("/submissions").WithTags("报表");

        submissions.MapPost("/{id}/return", ReturnAsync)
            .RequireAuthorization(IntakePolicies.Admin)
            .WithName("ReturnSubmission")
            .WithSummary("退回报表的最新版本，要求填报单位修改（须说明原因；退回的版本不计入汇总，单位重新报送后以新版本为准）")
            .WithDescription("请求体 {\"reason\": \"…\", \"version\": 2}；version 可省略，给出时须为最新版本，否则以 submission_superseded 拒绝。"
                + "尚未校验的版本以 submission_not_validated、已退回的以 submission_already_returned 拒绝。")
            .Accepts<ReturnSubmissionBody>("application/json")
            .Produces<SubmissionReviewResponse>()
            .ProducesApiProblems(400, 404, 409, 413, 415)
            .WithRequestExample("""{"reason": "表三“（七）总计”与各项办理结果之和不符，请核对后重新报送。", "version": 1}""");

        submissions.MapPost("/{id}/accept", AcceptAsync)
            .RequireAuthorization(IntakePolicies.Admin)
            .WithName("AcceptSubmission")
            .WithSummary("说明理由后接受只有警告的报表（记录接受人、时间和理由）")
            .WithDescription("只有最新一次校验结果为 accepted_with_warnings 的版本可以接受；有错误的以 submission_has_errors、"
                + "全部通过的以 submission_has_no_warnings、已接受的以 submission_already_accepted 拒绝。")
            .Accepts<AcceptSubmissionBody>("application/json")
            .Produces<SubmissionReviewResponse>()
            .ProducesApiProblems(400, 404, 409, 413, 415)
            .WithRequestExample("""{"justification": "采购金额经电话核实无误，系本年度集中采购增加所致。", "version": 2}""");

        submissions.MapGet("/{id}/diff", DiffAsync)
            .RequireAuthorization(IntakePolicies.AdminOrOps)
            .WithName("DiffSubmissionVersions")
            .WithSummary("比较报表的两个版本，列出数值有变化的单元格（单元格、表中位置、原值、新值）")
            .Produces<SubmissionDiffResponse>()
            .ProducesApiProblems(400, 404)
            .WithResponseExample("""
                {"submission_id": "01936f0e-7b3c-7d4e-8f50-6b7c8d9e0f1a", "unit_code": "QL-SWJ", "from": 1, "to": 2,
                 "changes": [{"cell_id": "s3.r3_7_total.natural_person", "label": "三、本年度办理结果 — （七）总计 — 自然人",
                   "old": 12, "new": 11, "old_raw": null, "new_raw": null}]}
                """);

        var periods = api.MapGroup("/periods").WithTags("填报期");

        periods.MapPost("/{id}/units/{unitCode}/reopen", ReopenAsync)
            .RequireAuthorization(IntakePolicies.Admin)
            .WithName("ReopenPeriodForUnit")
            .WithSummary("为一个填报单位重新开放已关闭的填报期（只有该单位可以报送，其他单位仍以 period_closed 拒绝）")
            .Produces<UnitReopeningResponse>()
            .ProducesApiProblems(400, 404, 409, 422);

        periods.MapPost("/{id}/units/{unitCode}/close", CloseAsync)
            .RequireAuthorization(IntakePolicies.Admin)
            .WithName("ClosePeriodForUnit")
            .WithSummary("对重新开放的单位再次关闭填报期（未重新开放的单位不变）")
            .Produces<UnitReopeningResponse>()
            .ProducesApiProblems(400, 404, 409, 422);
    }

    private static Task<IResult> ReturnAsync(Guid id, HttpContext context, Caller caller, JsonRequestReader reader, SubmissionReviews reviews) =>
        ReviewAsync<ReturnSubmissionBody>(context, reader, body => reviews.ReturnAsync(id, body.Version, body.Reason, caller.Actor, context.RequestAborted));

    private static Task<IResult> AcceptAsync(Guid id, HttpContext context, Caller caller, JsonRequestReader reader, SubmissionReviews reviews) =>
        ReviewAsync<AcceptSubmissionBody>(context, reader, body => reviews.AcceptAsync(id, body.Version, body.Justification, caller.Actor, context.RequestAborted));

    private static async Task<IResult> ReviewAsync<TBody>(HttpContext context, JsonRequestReader reader, Func<TBody, Task<Result<SubmissionReview>>> review)
        where TBody : class
    {
        var read = await reader.ReadAsync<TBody>(context);
        if (read.Problem is not null)
        {
            return read.Problem.ToResult();
        }

        var result = await review(read.Value!);
        return result.IsSuccess ? TypedResults.Ok(SubmissionReviewResponse.From(result.Value)) : result.Problem.ToResult();
    }

    private static async Task<IResult> DiffAsync(Guid id, int? from, int? to, SubmissionDiff diff, CancellationToken cancellationToken)
    {
        var errors = new List<ApiFieldError>();
        if (from is not > 0)
        {
            errors.Add(new ApiFieldError("from", "应为正整数（原版本号）"));
        }

        if (to is not > 0)
        {
            errors.Add(new ApiFieldError("to", "应为正整数（新版本号）"));
        }

        if (errors.Count > 0)
        {
            return ApiProblem.InvalidRequest("请用 from 和 to 指定要比较的两个版本。", errors).ToResult();
        }

        var result = await diff.CompareAsync(id, from!.Value, to!.Value, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(SubmissionDiffResponse.Of(result.Value)) : result.Problem.ToResult();
    }

    private static async Task<IResult> ReopenAsync(Guid id, string unitCode, Caller caller, PeriodService periods, CancellationToken cancellationToken)
    {
        var result = await periods.ReopenForUnitAsync(id, unitCode, caller.Actor, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(UnitReopeningResponse.From(result.Value)) : result.Problem.ToResult();
    }

    private static async Task<IResult> CloseAsync(Guid id, string unitCode, Caller caller, PeriodService periods, CancellationToken cancellationToken)
    {
        var result = await periods.CloseForUnitAsync(id, unitCode, caller.Actor, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(UnitReopeningResponse.From(result.Value)) : result.Problem.ToResult();
    }

    private static RouteHandlerBuilder WithRequestExample(this RouteHandlerBuilder builder, string example) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.RequestBody?.Content?.TryGetValue("application/json", out var body) == true)
            {
                body.Example = JsonNode.Parse(example);
            }

            return Task.CompletedTask;
        });

    private static RouteHandlerBuilder WithResponseExample(this RouteHandlerBuilder builder, string example) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Responses?.TryGetValue("200", out var response) == true && response.Content?.TryGetValue("application/json", out var media) == true)
            {
                media.Example = JsonNode.Parse(example);
            }

            return Task.CompletedTask;
        });
}

public sealed record ReturnSubmissionBody
{
    /// <summary>Why the version goes back to the unit, in words the unit reads on its page (at most 2,000 characters).</summary>
    public string? Reason { get; init; }

    /// <summary>The version the office looked at; it must still be the latest. Omitted: the latest.</summary>
    public int? Version { get; init; }
}

public sealed record AcceptSubmissionBody
{
    /// <summary>Why the failing warnings do not stand in the way (at most 2,000 characters).</summary>
    public string? Justification { get; init; }

    /// <summary>The version the office looked at; it must still be the latest. Omitted: the latest.</summary>
    public int? Version { get; init; }
}

/// <summary>One decision of the office on one version.</summary>
/// <param name="Decision"><c>returned</c> (with its reason) or <c>accepted</c> (with its justification).</param>
/// <param name="DecidedBy">The admin key's id.</param>
public sealed record SubmissionReviewResponse(Guid SubmissionId, int Version, string Decision, string Note, DateTimeOffset DecidedAt, string DecidedBy)
{
    public static SubmissionReviewResponse From(SubmissionReview review) =>
        new(review.SubmissionId, review.Version, review.Decision, review.Note, review.DecidedAt, review.DecidedBy);

    public static SubmissionReviewResponse? FromOptional(SubmissionReview? review) => review is null ? null : From(review);
}

/// <param name="Label">The cell's printed row and column; null for a cell the form does not know.</param>
/// <param name="Old">The value in version <c>from</c> (万元 for money); null when blank.</param>
/// <param name="New">The value in version <c>to</c>; null when blank.</param>
public sealed record ChangedCellResponse(string CellId, string? Label, decimal? Old, decimal? New, string? OldRaw, string? NewRaw);

public sealed record SubmissionDiffResponse(Guid SubmissionId, string UnitCode, int From, int To, IReadOnlyList<ChangedCellResponse> Changes)
{
    public static SubmissionDiffResponse Of(VersionDiff diff) => new(
        diff.SubmissionId, diff.UnitCode, diff.From, diff.To,
        [.. diff.Changes.Select(c => new ChangedCellResponse(c.CellId, c.Label, c.Old, c.New, c.OldRaw, c.NewRaw))]);
}

/// <param name="Reopened">Whether the closed period accepts this unit's submissions.</param>
public sealed record UnitReopeningResponse(Guid PeriodId, string UnitCode, bool Reopened, DateTimeOffset? ReopenedAt, string? ReopenedBy)
{
    public static UnitReopeningResponse From(UnitReopeningView view) => new(view.PeriodId, view.UnitCode, view.Reopened, view.ReopenedAt, view.ReopenedBy);
}

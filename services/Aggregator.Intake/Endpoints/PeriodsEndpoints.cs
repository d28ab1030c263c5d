using Aggregator.Application.Periods;
using Aggregator.Application.Results;
using Aggregator.Intake.Authentication;
using Aggregator.Intake.Json;
using Aggregator.Intake.Problems;
using Aggregator.Storage.Periods;
using Aggregator.Storage.Units;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Aggregator.Intake.Endpoints;

/// <summary><c>GET /periods</c>, <c>POST /periods</c>, <c>GET /periods/{id}</c>, <c>GET /periods/{id}/submissions</c>, <c>POST /periods/{id}/close</c>, <c>GET /periods/{id}/completeness</c>, <c>GET /periods/{id}/completeness/summary</c>.</summary>
internal static class PeriodsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var periods = api.MapGroup("/periods").WithTags("填报期");

        periods.MapGet("", ListAsync)
            .RequireAuthorization(IntakePolicies.AnyKey)
            .WithName("ListPeriods")
            .WithSummary("列出填报期，新的在前（单位密钥只列出本单位参与的填报期）")
            .Produces<PeriodListResponse>();

        periods.MapGet("/{id}/submissions", SubmissionsAsync)
            .RequireAuthorization(IntakePolicies.AnyKey)
            .WithName("ListPeriodSubmissions")
            .WithSummary("填报期内已提交的报表（每个单位的最新版本；单位密钥只看到本单位的）")
            .Produces<PeriodSubmissionsResponse>()
            .ProducesApiProblems(400, 404);

        periods.MapPost("", OpenAsync)
            .RequireAuthorization(IntakePolicies.Admin)
            .WithName("OpenPeriod")
            .WithSummary("开启填报期（按根单位的下级单位确定填报单位）")
            .Accepts<OpenPeriodBody>("application/json")
            .Produces<OpenedPeriodResponse>(StatusCodes.Status201Created)
            .ProducesApiProblems(400, 409, 413, 415);

        periods.MapGet("/{id}", GetAsync)
            .RequireAuthorization(IntakePolicies.AnyKey)
            .WithName("GetPeriod")
            .WithSummary("查看填报期（单位密钥只能查看本单位参与的填报期）")
            .Produces<PeriodResponse>()
            .ProducesApiProblems(400, 404);

        periods.MapPost("/{id}/close", CloseAsync)
            .RequireAuthorization(IntakePolicies.Admin)
            .WithName("ClosePeriod")
            .WithSummary("关闭填报期（不再接收报表）")
            .Produces<PeriodResponse>()
            .ProducesApiProblems(400, 404);

        periods.MapGet("/{id}/completeness", CompletenessAsync)
            .RequireAuthorization(IntakePolicies.AdminOrOps)
            .WithName("GetCompleteness")
            .WithSummary("各填报单位的提交情况")
            .Produces<CompletenessResponse>()
            .ProducesApiProblems(400, 404);

        periods.MapGet("/{id}/completeness/summary", CompletenessSummaryAsync)
            .RequireAuthorization(IntakePolicies.AdminOrOps)
            .WithName("GetCompletenessSummary")
            .WithSummary("提交情况的计数（不列各单位）：等待校验完成时轮询此处，单位多时不必每次取回全部单位")
            .Produces<CompletenessSummaryResponse>()
            .ProducesApiProblems(400, 404);
    }

    private static async Task<IResult> OpenAsync(HttpContext context, Caller caller, JsonRequestReader reader, PeriodService service)
    {
        var read = await reader.ReadAsync<OpenPeriodBody>(context);
        if (read.Problem is not null)
        {
            return read.Problem.ToResult();
        }

        var body = read.Value!;
        var missing = new List<ApiFieldError>();
        if (body.Year is null)
        {
            missing.Add(new ApiFieldError("year", "缺少报告年度"));
        }

        if (body.FormId is null)
        {
            missing.Add(new ApiFieldError("form_id", "缺少表式（stat_pre2019、fmt_2019 或 fmt_2021）"));
        }

        if (body.RootUnit is null)
        {
            missing.Add(new ApiFieldError("root_unit", "缺少根单位代码"));
        }

        if (body.DueDate is null)
        {
            missing.Add(new ApiFieldError("due_date", "缺少截止日期（YYYY-MM-DD）"));
        }

        if (missing.Count > 0)
        {
            return ApiProblem.InvalidRequest("开启填报期缺少必填字段。", missing).ToResult();
        }

        var opened = await service.OpenAsync(
            new OpenPeriodRequest(body.Year!.Value, body.FormId!, body.RootUnit!, body.DueDate!.Value), caller.Actor, context.RequestAborted);
        if (!opened.IsSuccess)
        {
            return opened.Problem.ToResult();
        }

        var period = opened.Value;
        var units = await service.GetExpectedUnitsAsync(period.Id, context.RequestAborted);
        return TypedResults.Created($"{IntakeRoutes.Prefix}/periods/{period.Id}", OpenedPeriodResponse.From(period, units));
    }

    private static async Task<IResult> ListAsync(Caller caller, PeriodService service, CancellationToken cancellationToken)
    {
        var all = await service.ListAsync(cancellationToken);
        var visible = new List<PeriodResponse>(all.Count);
        foreach (var period in all)
        {
            if (!caller.IsUnit || await service.IsExpectedAsync(period.Id, caller.UnitCode!, cancellationToken))
            {
                visible.Add(PeriodResponse.From(period));
            }
        }

        return TypedResults.Ok(new PeriodListResponse(visible));
    }

    private static async Task<IResult> SubmissionsAsync(
        Guid id, Caller caller, PeriodService service, CompletenessQuery query, CancellationToken cancellationToken)
    {
        if (caller.IsUnit && await service.GetAsync(id, cancellationToken) is not null && !await service.IsExpectedAsync(id, caller.UnitCode!, cancellationToken))
        {
            return ApiProblem.Forbidden($"单位“{caller.UnitCode}”不在该填报期的填报单位之列。").ToResult();
        }

        if (await query.GetAsync(id, cancellationToken) is not { } view)
        {
            return Problem.PeriodNotFound(id).ToResult();
        }

        return TypedResults.Ok(new PeriodSubmissionsResponse(id, [.. view.Units
            .Where(unit => unit.SubmissionId is not null && caller.MaySee(unit.UnitCode))
            .Select(unit => new PeriodSubmissionResponse(
                unit.SubmissionId!.Value, unit.UnitCode, unit.UnitName, unit.Version!.Value, unit.Status, unit.ReceivedAt!.Value, unit.Late))]));
    }

    private static async Task<IResult> GetAsync(Guid id, Caller caller, PeriodService service, CancellationToken cancellationToken)
    {
        if (await service.GetAsync(id, cancellationToken) is not { } period)
        {
            return Problem.PeriodNotFound(id).ToResult();
        }

        if (caller.IsUnit && !await service.IsExpectedAsync(id, caller.UnitCode!, cancellationToken))
        {
            return ApiProblem.Forbidden($"单位“{caller.UnitCode}”不在该填报期的填报单位之列。").ToResult();
        }

        return TypedResults.Ok(PeriodResponse.From(period));
    }

    private static async Task<IResult> CloseAsync(Guid id, Caller caller, PeriodService service, CancellationToken cancellationToken)
    {
        var closed = await service.CloseAsync(id, caller.Actor, cancellationToken);
        return closed.IsSuccess ? TypedResults.Ok(PeriodResponse.From(closed.Value)) : closed.Problem.ToResult();
    }

    private static async Task<IResult> CompletenessSummaryAsync(Guid id, CompletenessQuery query, CancellationToken cancellationToken) =>
        await query.GetSummaryAsync(id, cancellationToken) is { } summary
            ? TypedResults.Ok(CompletenessSummaryResponse.From(summary))
            : Problem.PeriodNotFound(id).ToResult();

    private static async Task<IResult> CompletenessAsync(Guid id, CompletenessQuery query, CancellationToken cancellationToken) =>
        await query.GetAsync(id, cancellationToken) is { } view
            ? TypedResults.Ok(CompletenessResponse.From(view))
            : Problem.PeriodNotFound(id).ToResult();
}

public sealed record OpenPeriodBody
{
    /// <summary>The year reported on, e.g. 2024.</summary>
    public int? Year { get; init; }

    /// <summary><c>stat_pre2019</c>, <c>fmt_2019</c> or <c>fmt_2021</c>: the form that covers <see cref="Year"/>.</summary>
    public string? FormId { get; init; }

    /// <summary>The root unit's code; every unit below it is expected to report.</summary>
    public string? RootUnit { get; init; }

    public DateOnly? DueDate { get; init; }
}

public sealed record PeriodResponse(Guid Id, int Year, string FormId, string RootUnit, DateOnly DueDate, string Status, int ExpectedUnits, DateTimeOffset CreatedAt)
{
    public static PeriodResponse From(Period period) => new(
        period.Id, period.Year, period.FormId, period.RootUnitCode, period.DueDate, period.Status, period.ExpectedUnitCount, period.CreatedAt);
}

/// <summary>A newly opened period with the units it expects.</summary>
public sealed record OpenedPeriodResponse(
    Guid Id, int Year, string FormId, string RootUnit, DateOnly DueDate, string Status, int ExpectedUnits, DateTimeOffset CreatedAt, IReadOnlyList<ExpectedUnitResponse> Units)
{
    public static OpenedPeriodResponse From(Period period, IReadOnlyList<OrgUnit> units) => new(
        period.Id, period.Year, period.FormId, period.RootUnitCode, period.DueDate, period.Status, period.ExpectedUnitCount, period.CreatedAt,
        [.. units.Select(unit => new ExpectedUnitResponse(unit.Code, unit.Name, unit.Kind))]);
}

public sealed record ExpectedUnitResponse(string UnitCode, string UnitName, string Kind);

public sealed record CompletenessResponse(
    Guid PeriodId, DateOnly DueDate, int Expected, int Submitted, int Accepted, int Rejected, int Missing, IReadOnlyList<UnitCompletenessResponse> Units)
{
    public static CompletenessResponse From(CompletenessView view) => new(
        view.PeriodId, view.DueDate, view.Expected, view.Submitted, view.Accepted, view.Rejected, view.Missing,
        [.. view.Units.Select(unit => new UnitCompletenessResponse(
            unit.UnitCode, unit.UnitName, unit.Status, unit.SubmissionId, unit.Version, unit.ReceivedAt, unit.Late, unit.DaysLate,
            [.. unit.FailingRules.Select(rule => new FailingRuleResponse(rule.Rule, rule.Severity, rule.Message))])
        {
            ReturnReason = unit.ReturnReason,
            AcceptanceNote = unit.AcceptanceNote,
            Reopened = unit.Reopened,
        })])
    {
        Returned = view.Returned,
    };

    /// <summary>Units whose latest version the office returned for correction.</summary>
    public int Returned { get; init; }
}

/// <summary>The counts of <see cref="CompletenessResponse"/> without the units.</summary>
/// <param name="Received">Units whose latest version awaits validation.</param>
/// <param name="Accepted">Accepted, with or without warnings.</param>
public sealed record CompletenessSummaryResponse(
    Guid PeriodId, DateOnly DueDate, int Expected, int Submitted, int Received, int Accepted, int Rejected, int Returned, int Missing)
{
    public static CompletenessSummaryResponse From(CompletenessSummary summary) => new(
        summary.PeriodId, summary.DueDate, summary.Expected, summary.Submitted, summary.Received, summary.Accepted, summary.Rejected, summary.Returned, summary.Missing);
}

/// <param name="Status"><c>missing</c>, <c>received</c>, <c>accepted</c>, <c>accepted_with_warnings</c>, <c>rejected</c> or <c>returned</c>.</param>
/// <param name="SubmissionId">The unit's submission, for <c>GET /submissions/{id}</c>; null when nothing was submitted.</param>
/// <param name="Late">The latest version arrived after the due date, or nothing arrived and the due date has passed.</param>
/// <param name="DaysLate">Calendar days (China Standard Time) past the due date: 逾期 N 天; 0 when not late.</param>
/// <param name="FailingRules">The latest version's failing rules, in the report's words; empty until it is validated.</param>
public sealed record UnitCompletenessResponse(
    string UnitCode,
    string UnitName,
    string Status,
    Guid? SubmissionId,
    int? Version,
    DateTimeOffset? ReceivedAt,
    bool Late,
    int DaysLate,
    IReadOnlyList<FailingRuleResponse> FailingRules)
{
    /// <summary>Why the office returned the latest version (status <c>returned</c>); null otherwise.</summary>
    public string? ReturnReason { get; init; }

    /// <summary>Why the office accepted the latest version despite its warnings; null otherwise.</summary>
    public string? AcceptanceNote { get; init; }

    /// <summary>The closed period is reopened for this unit alone.</summary>
    public bool Reopened { get; init; }
}

/// <param name="Severity"><c>error</c> (the unit is 未通过) or <c>warning</c>.</param>
public sealed record FailingRuleResponse(string Rule, string Severity, string Message);

public sealed record PeriodListResponse(IReadOnlyList<PeriodResponse> Periods);

public sealed record PeriodSubmissionsResponse(Guid PeriodId, IReadOnlyList<PeriodSubmissionResponse> Submissions);

/// <param name="Version">The latest version.</param>
/// <param name="Status">The latest version's: <c>received</c>, <c>accepted</c>, <c>accepted_with_warnings</c> or <c>rejected</c>.</param>
public sealed record PeriodSubmissionResponse(
    Guid SubmissionId, string UnitCode, string UnitName, int Version, string Status, DateTimeOffset ReceivedAt, bool Late);

using Aggregator.Application.Results;
using Aggregator.Application.Submissions;
using Aggregator.Application.Validation;
using Aggregator.Intake.Authentication;
using Aggregator.Intake.Json;
using Aggregator.Intake.Problems;
using Aggregator.Reporting.Workbooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Aggregator.Intake.Endpoints;

/// <summary><c>POST /periods/{id}/submissions</c> and <c>GET /submissions/{id}</c>.</summary>
internal static class SubmissionsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/periods/{id}/submissions", SubmitAsync)
            .WithTags("报表")
            .RequireAuthorization(IntakePolicies.Submitter)
            .WithName("Submit")
            .WithSummary("提交一个单位的年度报表（dryRun=true 时只校验、不保存）")
            .WithDescription("请求体为提交文件（format_id、year、unit_name、unit_code、values，可选 raw、units_from_header；也接受 formatId 等驼峰写法），其他字段忽略。"
                + "数值问题（未知或重复的单元格、无法识别的文本、负数、小数、单位不符、数值过大）立即以 422 拒绝且不保存，cells 列出前 20 处、cell_count 为总数；勾稽关系由校验服务异步检查。"
                + "也可以直接提交填好的 Excel 报表模板（GET /periods/{id}/template.xlsx），Content-Type 为 " + TemplateLayout.ContentType + "：结论与同样数值的 JSON 相同；"
                + "不是 .xlsx（workbook_unreadable）、不是本系统的模板（not_a_submission_template）、模板已损坏（template_damaged）、其他表式或年度的模板（wrong_format、wrong_year）均不保存。")
            .Accepts<SubmissionDocumentBody>("application/json", TemplateLayout.ContentType)
            .Produces<SubmissionReceiptResponse>(StatusCodes.Status202Accepted)
            .Produces<DryRunResponse>()
            .ProducesApiProblems(400, 404, 409, 413, 415, 422);

        api.MapGet("/submissions/{id}", GetAsync)
            .WithTags("报表")
            .RequireAuthorization(IntakePolicies.AnyKey)
            .WithName("GetSubmission")
            .WithSummary("查看报表某一版本的状态与校验结果（单位密钥只能查看本单位的报表）")
            .Produces<SubmissionResponse>()
            .ProducesApiProblems(400, 404);
    }

    private static async Task<IResult> SubmitAsync(
        Guid id, bool? dryRun, HttpContext context, Caller caller, JsonRequestReader reader, IOptions<IntakeOptions> options, SubmissionIntake intake)
    {
        var submitter = caller.IsUnit ? Submitter.ForUnit(caller.Actor, caller.UnitCode!) : Submitter.Office(caller.Actor);
        Result<IntakeOutcome> result;
        if (IsWorkbook(context.Request.ContentType))
        {
            var (workbook, tooLarge) = await RequestBody.ReadAsync(context, options.Value.MaxRequestBodyBytes);
            if (tooLarge is not null)
            {
                return tooLarge.ToResult();
            }

            result = await intake.SubmitWorkbookAsync(id, workbook!, submitter, dryRun == true, context.RequestAborted);
        }
        else
        {
            var read = await reader.ReadUtf8Async(context);
            if (read.Problem is not null)
            {
                return read.Problem.ToResult();
            }

            // The use case reads the bytes with the core's reader, as the CLI does; nothing here parses them.
            result = await intake.SubmitAsync(id, read.Value!, options.Value.MaxJsonDepth, submitter, dryRun == true, context.RequestAborted);
        }

        if (!result.IsSuccess)
        {
            return result.Problem.ToResult();
        }

        if (result.Value.Verdict is { } verdict)
        {
            return TypedResults.Ok(new DryRunResponse(verdict.Outcome, [.. verdict.Violations.Select(ViolationResponse.From)]));
        }

        var receipt = result.Value.Receipt!;
        return TypedResults.Accepted(
            $"{IntakeRoutes.Prefix}/submissions/{receipt.SubmissionId}",
            new SubmissionReceiptResponse(receipt.SubmissionId, receipt.Version, receipt.Status, receipt.UnitCode));
    }

    private static bool IsWorkbook(string? contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && string.Equals(mediaType.MediaType.Value, TemplateLayout.ContentType, StringComparison.OrdinalIgnoreCase);

    private static async Task<IResult> GetAsync(Guid id, int? version, Caller caller, SubmissionStatusQuery query, CancellationToken cancellationToken)
    {
        if (version is < 1)
        {
            return ApiProblem.InvalidRequest("version 应为正整数。", new ApiFieldError("version", "应为正整数")).ToResult();
        }

        if (await query.GetAsync(id, version, cancellationToken) is not { } view)
        {
            return Problem.NotFound(version is null ? $"报表 {id}" : $"报表 {id} 的第 {version} 版").ToResult();
        }

        if (!caller.MaySee(view.UnitCode))
        {
            return Problem.Of(ProblemCodes.NotYourUnit, "只能查看本单位的报表", $"本密钥属于单位“{caller.UnitCode}”，不能查看其他单位的报表。").ToResult();
        }

        return TypedResults.Ok(new SubmissionResponse(
            view.SubmissionId, view.PeriodId, view.UnitCode, view.Version, view.LatestVersion, view.Status, view.ReceivedAt, view.ValidatedAt,
            [.. view.Violations.Select(ViolationResponse.From)])
        {
            Returned = SubmissionReviewResponse.FromOptional(view.Returned),
            Acceptance = SubmissionReviewResponse.FromOptional(view.Acceptance),
        });
    }
}

/// <summary>The submission document as the CLI writes it (for the OpenAPI description; the body is read as is).</summary>
public sealed record SubmissionDocumentBody
{
    /// <summary><c>stat_pre2019</c>, <c>fmt_2019</c> or <c>fmt_2021</c>; must be the period's form.</summary>
    public required string FormatId { get; init; }

    public required int Year { get; init; }

    public required string UnitName { get; init; }

    /// <summary>Required for admin keys; a unit key submits for its own unit.</summary>
    public string? UnitCode { get; init; }

    /// <summary>Cell id → number, text (<c>"244.19万元"</c>, full-width digits) or null (blank).</summary>
    public required Dictionary<string, object?> Values { get; init; }

    /// <summary>Cell id → the text as written, read instead of <see cref="Values"/>.</summary>
    public Dictionary<string, string>? Raw { get; init; }

    /// <summary>Cell id → the unit printed in the column header.</summary>
    public Dictionary<string, string>? UnitsFromHeader { get; init; }

    /// <summary>The report's text outside the tables, paragraphs separated by line breaks; compared with the other units' (内容雷同).</summary>
    public string? Narrative { get; init; }
}

public sealed record SubmissionReceiptResponse(Guid SubmissionId, int Version, string Status, string UnitCode);

/// <param name="Outcome"><c>accepted</c>, <c>accepted_with_warnings</c> or <c>rejected</c>.</param>
public sealed record DryRunResponse(string Outcome, IReadOnlyList<ViolationResponse> Violations);

/// <param name="Status"><c>received</c>, <c>accepted</c>, <c>accepted_with_warnings</c>, <c>rejected</c> or <c>returned</c> (by the office, see <see cref="Returned"/>).</param>
public sealed record SubmissionResponse(
    Guid SubmissionId,
    Guid PeriodId,
    string UnitCode,
    int Version,
    int LatestVersion,
    string Status,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? ValidatedAt,
    IReadOnlyList<ViolationResponse> Violations)
{
    /// <summary>The office's return of this version, with the reason the unit is to correct; null when not returned.</summary>
    public SubmissionReviewResponse? Returned { get; init; }

    /// <summary>The office's acceptance of this version despite its warnings, with the justification; null otherwise.</summary>
    public SubmissionReviewResponse? Acceptance { get; init; }
}

/// <param name="Severity"><c>error</c> or <c>warning</c>.</param>
/// <param name="Cells">The cells involved, by id, with their values (null when blank).</param>
public sealed record ViolationResponse(string Rule, string Severity, IReadOnlyDictionary<string, decimal?> Cells, string Message)
{
    public static ViolationResponse From(ViolationView view) => new(view.Rule, view.Severity, view.Cells, view.Message);
}

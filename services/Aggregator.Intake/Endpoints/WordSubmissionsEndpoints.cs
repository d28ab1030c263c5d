using Aggregator.Application.Periods;
using Aggregator.Application.Results;
using Aggregator.Application.Submissions;
using Aggregator.Core.Forms;
using Aggregator.Import;
using Aggregator.Intake.Authentication;
using Aggregator.Intake.Json;
using Aggregator.Intake.Problems;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Aggregator.Intake.Endpoints;

/// <summary>
/// <c>POST /periods/{id}/submissions/word</c>: a department's Word annual report. Without <c>confirm=true</c> it
/// only answers what was read and the verdict, so the department checks the values before anything is stored;
/// with it the values read are submitted exactly as a JSON submission is.
/// </summary>
internal static class WordSubmissionsEndpoints
{
    public const string DocxMediaType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/periods/{id}/submissions/word", SubmitAsync)
            .WithTags("报表")
            .RequireAuthorization(IntakePolicies.Submitter)
            .WithName("SubmitWord")
            .WithSummary("上传单位的 Word 年度报告（.docx）：先读取并校验、列出读到的数值供核对；确认无误后以 confirm=true 保存")
            .WithDescription("请求体为 .docx 文件本身（Content-Type: " + DocxMediaType + " 或 application/octet-stream）。"
                + "按表格中印出的栏目名称找到各单元格（不论表格位置、合并单元格、全角或不换行空格、格内单位），每格注明是否存疑；"
                + "正文所述数字与表格不一致时列为警告。未带 confirm=true 时不保存任何数据；带 confirm=true 时按读到的数值保存为一版报表，"
                + "与提交 JSON 走同一流程、得同一结论。单位密钥为本单位提交；管理员密钥须以 unit_code 指明单位。")
            .Accepts<IFormFile>(DocxMediaType)
            .Produces<WordImportResponse>()
            .Produces<WordImportResponse>(StatusCodes.Status202Accepted)
            .ProducesApiProblems(400, 404, 409, 413, 415, 422);
    }

    private static async Task<IResult> SubmitAsync(
        Guid id,
        bool? confirm,
        [FromQuery(Name = "unit_code")] string? unitCode,
        HttpContext context,
        Caller caller,
        IOptions<IntakeOptions> options,
        WordIntake word)
    {
        if (!IsDocx(context.Request.ContentType))
        {
            return ApiProblem.UnsupportedMediaType($"请求体应为 Word 文档（.docx）：请使用 Content-Type: {DocxMediaType}。").ToResult();
        }

        var (bytes, tooLarge) = await RequestBody.ReadAsync(context, options.Value.MaxRequestBodyBytes);
        if (tooLarge is not null)
        {
            return tooLarge.ToResult();
        }

        var submitter = caller.IsUnit ? Submitter.ForUnit(caller.Actor, caller.UnitCode!) : Submitter.Office(caller.Actor);
        var result = await word.SubmitAsync(id, bytes!, submitter, unitCode ?? caller.UnitCode, dryRun: confirm != true, context.RequestAborted);
        if (!result.IsSuccess)
        {
            return result.Problem.ToResult();
        }

        var (report, document, outcome) = result.Value;
        var response = WordImportResponse.From(report, document.UnitName);
        if (outcome.Verdict is { } verdict)
        {
            return TypedResults.Ok(response with { Outcome = verdict.Outcome, Violations = [.. verdict.Violations.Select(ViolationResponse.From)] });
        }

        var receipt = outcome.Receipt!;
        return TypedResults.Accepted(
            $"{IntakeRoutes.Prefix}/submissions/{receipt.SubmissionId}",
            response with { Stored = true, SubmissionId = receipt.SubmissionId, Version = receipt.Version, Status = receipt.Status, UnitCode = receipt.UnitCode });
    }

    private static bool IsDocx(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && (mediaType.MediaType.Equals(DocxMediaType, StringComparison.OrdinalIgnoreCase)
            || mediaType.MediaType.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase));
}

/// <summary>What was read from a Word report, its verdict, and, once confirmed, the stored version.</summary>
/// <param name="Stored">False for the check (nothing stored), true once stored with <c>confirm=true</c>.</param>
/// <param name="Outcome">The dry run's verdict (<c>accepted</c>, <c>accepted_with_warnings</c>, <c>rejected</c>); null once stored (the validation service decides, see the submission).</param>
/// <param name="NarrativeWarnings">Figures the narrative states that contradict the tables.</param>
public sealed record WordImportResponse(
    bool Stored,
    string FormId,
    int Year,
    string UnitName,
    string? Title,
    int CellCount,
    int UnsureCount,
    IReadOnlyList<WordCellResponse> Cells,
    IReadOnlyList<string> Missing,
    IReadOnlyList<NarrativeWarningResponse> NarrativeWarnings)
{
    public string? Outcome { get; init; }

    public IReadOnlyList<ViolationResponse> Violations { get; init; } = [];

    public Guid? SubmissionId { get; init; }

    public int? Version { get; init; }

    public string? Status { get; init; }

    public string? UnitCode { get; init; }

    internal static WordImportResponse From(WordReport report, string unitName) => new(
        false,
        report.Form.Id,
        report.Year,
        unitName,
        report.Title,
        report.Cells.Count,
        report.UnsureCount,
        [.. report.Cells.Select(c => new WordCellResponse(c.Cell.Id, c.Cell.Label, c.PrintedLabel, c.Text, c.Value, c.IsSure, c.Doubt))],
        [.. report.Missing.Select(c => c.Id)],
        [.. report.NarrativeFindings.Select(f => new NarrativeWarningResponse(f.Rule, "warning", f.Quote, f.Stated, f.InTable, f.CellIds, f.Message))]);
}

/// <param name="Text">The text written in the cell, as it is; empty when blank.</param>
/// <param name="Sure">False when the reading needs checking; <paramref name="Doubt"/> says why.</param>
public sealed record WordCellResponse(string CellId, string Label, string PrintedLabel, string Text, decimal? Value, bool Sure, string? Doubt);

public sealed record NarrativeWarningResponse(
    string Rule, string Severity, string Quote, decimal Stated, decimal InTable, IReadOnlyList<string> Cells, string Message);

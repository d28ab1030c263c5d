using Aggregator.Application.Submissions;
using Aggregator.Intake.Authentication;
using Aggregator.Intake.Json;
using Aggregator.Intake.Problems;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Aggregator.Intake.Endpoints;

/// <summary>
/// <c>POST /periods/{id}/submissions/batch</c>: the office uploads a .zip of departments' files (JSON, filled-in .xlsx
/// templates, Word .docx, in folders or not) and gets one outcome per file.
/// </summary>
internal static class BatchSubmissionsEndpoints
{
    public const string ZipMediaType = "application/zip";

    private static readonly string[] ZipMediaTypes = [ZipMediaType, "application/x-zip-compressed", "application/octet-stream"];

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/periods/{id}/submissions/batch", SubmitAsync)
            .WithTags("报表")
            .RequireAuthorization(IntakePolicies.Admin)
            .WithName("SubmitBatch")
            .WithMetadata(new BatchBody())
            .WithSummary("区政府办公室一次上传多个单位的报表（.zip，dryRun=true 时只校验、不保存）")
            .WithDescription("请求体为 .zip 文件本身（Content-Type: " + ZipMediaType + "），或 multipart/form-data 中的一个文件。"
                + "zip 中每个 .json、填好的 .xlsx 报表模板或 Word 年度报告 .docx 为一个单位的报表，可放在子目录中；其他文件不读取。"
                + "每个文件按其单独上传时的流程处理、得同一结论：JSON 与 Excel 模板按其中的单位代码，未写单位代码时（以及 Word 报告）按文件名（如 U1.docx）确定单位。"
                + "响应为 200，逐个文件列出单位代码与结果：accepted（附 submission_id；dryRun 时附校验结论）或 refused（附问题代码与中文说明）；"
                + "一个文件被拒绝不影响其他文件，被拒绝的文件不保存任何数据。同一单位有多个可保存的文件时，无法确定以哪一份为准，这些文件均列为 refused（zip_duplicate_unit），均不保存。"
                + "整个 zip 无法读取（zip_unreadable）、文件过多（zip_too_many_entries）、解压后过大（zip_too_large）或没有报表文件（zip_empty）时不处理任何文件；"
                + "文件名指向 zip 之外（zip_entry_unsafe_name）或已损坏（zip_entry_unreadable）的文件列为 refused。")
            .Accepts<IFormFile>(ZipMediaType, "multipart/form-data")
            .Produces<BatchResponse>()
            .ProducesApiProblems(400, 404, 413, 415, 422);
    }

    private static async Task<IResult> SubmitAsync(Guid id, bool? dryRun, HttpContext context, Caller caller, IOptions<IntakeOptions> options, BatchIntake batch)
    {
        var isForm = context.Request.HasFormContentType;
        if (!isForm && !IsZip(context.Request.ContentType))
        {
            return ApiProblem.UnsupportedMediaType($"请求体应为 zip 文件：请使用 Content-Type: {ZipMediaType}，或以 multipart/form-data 上传一个文件。").ToResult();
        }

        var (bytes, tooLarge) = await RequestBody.ReadAsync(context, options.Value.MaxBatchBodyBytes);
        if (tooLarge is not null)
        {
            return tooLarge.ToResult();
        }

        if (isForm)
        {
            // The body was read once (size limit, idempotency hash); the form is parsed from those bytes.
            context.Request.Body = new MemoryStream(bytes!, writable: false);
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            if (form.Files.Count != 1)
            {
                return ApiProblem.InvalidRequest("请在表单中上传一个 zip 文件。", new ApiFieldError("file", form.Files.Count == 0 ? "缺少文件" : "只能上传一个文件")).ToResult();
            }

            using var file = new MemoryStream();
            await form.Files[0].CopyToAsync(file, context.RequestAborted);
            bytes = file.ToArray();
        }

        var result = await batch.SubmitAsync(id, bytes!, Submitter.Office(caller.Actor), dryRun == true, context.RequestAborted);
        if (!result.IsSuccess)
        {
            return result.Problem.ToResult();
        }

        var entries = result.Value.Select(BatchEntryResponse.From).ToList();
        return TypedResults.Ok(new BatchResponse(
            dryRun == true, entries.Count, entries.Count(e => e.Result == BatchEntryResponse.Accepted), entries.Count(e => e.Result == BatchEntryResponse.Refused), entries));
    }

    private static bool IsZip(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && ZipMediaTypes.Any(zip => mediaType.MediaType.Equals(zip, StringComparison.OrdinalIgnoreCase));
}

/// <param name="DryRun">True when nothing was stored (<c>dryRun=true</c>).</param>
/// <param name="Entries">One per submission file of the zip, in archive order.</param>
public sealed record BatchResponse(bool DryRun, int EntryCount, int AcceptedCount, int RefusedCount, IReadOnlyList<BatchEntryResponse> Entries);

/// <param name="Path">The file's path inside the zip, with forward slashes.</param>
/// <param name="UnitCode">The unit the file was taken for; for a refused file the unit it names, when known.</param>
/// <param name="Result"><c>accepted</c> (stored, or on a dry run checked) or <c>refused</c> (nothing stored).</param>
public sealed record BatchEntryResponse(string Path, string? UnitCode, string Result)
{
    public const string Accepted = "accepted";

    public const string Refused = "refused";

    /// <summary>The stored version; null on a dry run and when refused.</summary>
    public Guid? SubmissionId { get; init; }

    public int? Version { get; init; }

    /// <summary><c>received</c> once stored (the validation service decides, see the submission).</summary>
    public string? Status { get; init; }

    /// <summary>On a dry run, the verdict the file would get: <c>accepted</c>, <c>accepted_with_warnings</c> or <c>rejected</c>.</summary>
    public string? Outcome { get; init; }

    public IReadOnlyList<ViolationResponse>? Violations { get; init; }

    /// <summary>For a Word report, the figures its narrative states that contradict its tables (stored as warnings of the verdict once validated).</summary>
    public IReadOnlyList<NarrativeWarningResponse> NarrativeWarnings { get; init; } = [];

    /// <summary>Why the file was refused: the problem code its single upload gets (<c>unit_not_expected</c>, <c>word_no_tables</c>…).</summary>
    public string? Code { get; init; }

    /// <summary>The refusal in Chinese.</summary>
    public string? Message { get; init; }

    internal static BatchEntryResponse From(BatchEntryOutcome outcome)
    {
        if (outcome.Problem is { } problem)
        {
            return new BatchEntryResponse(outcome.Path, outcome.UnitCode, Refused) { Code = problem.Code, Message = problem.Detail };
        }

        var intake = outcome.Intake!;
        var narrative = outcome.NarrativeFindings.Select(f => new NarrativeWarningResponse(f.Rule, "warning", f.Quote, f.Stated, f.InTable, f.CellIds, f.Message)).ToList();
        return intake.Receipt is { } receipt
            ? new BatchEntryResponse(outcome.Path, receipt.UnitCode, Accepted)
            {
                SubmissionId = receipt.SubmissionId, Version = receipt.Version, Status = receipt.Status, NarrativeWarnings = narrative,
            }
            : new BatchEntryResponse(outcome.Path, outcome.UnitCode, Accepted)
            {
                Outcome = intake.Verdict!.Outcome,
                Violations = [.. intake.Verdict.Violations.Select(ViolationResponse.From)],
                NarrativeWarnings = narrative,
            };
    }
}

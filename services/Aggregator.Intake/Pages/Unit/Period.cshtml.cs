using System.Security.Cryptography;
using Aggregator.Application.Periods;
using Aggregator.Application.Results;
using Aggregator.Application.Submissions;
using Aggregator.Core.Forms;
using Aggregator.Core.Text;
using Aggregator.Core.Values;
using Aggregator.Import;
using Aggregator.Intake.Authentication;
using Aggregator.Intake.Endpoints;
using Aggregator.Intake.Web;
using Aggregator.Reporting.Workbooks;
using Aggregator.Storage.Periods;
using Aggregator.Storage.Submissions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Aggregator.Intake.Pages.Unit;

/// <summary>
/// A department downloads its Excel template, uploads its file (JSON or the filled-in template), sees the dry-run
/// verdict on its own tables, and submits.
/// </summary>
public sealed class UnitPeriodModel(
    PeriodService periods,
    SubmissionRepository submissions,
    SubmissionIntake intake,
    SubmissionTemplates templates,
    FormCatalog catalog,
    WordIntake word,
    IMemoryCache pendingWord,
    IOptions<IntakeOptions> options) : PageModel
{
    private static readonly TimeSpan WordPendingFor = TimeSpan.FromMinutes(30);

    public Period Period { get; private set; } = null!;

    public Submission? Current { get; private set; }

    public Problem? Problem { get; private set; }

    public DryRunVerdict? Verdict { get; private set; }

    /// <summary>The narrative's contradictions that the verdict does not already list as 正文与表格不符 warnings.</summary>
    public IReadOnlyList<string> NarrativeOnly { get; private set; } = [];

    public SubmissionSheet? Sheet { get; private set; }

    /// <summary>What was read from the uploaded Word report, shown before the department confirms it.</summary>
    public WordReport? Word { get; private set; }

    /// <summary>The SHA-256 of the Word report shown, posted back by the confirm button.</summary>
    public string? WordDigest { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id) => await LoadAsync(id) ?? Page();

    public async Task<IActionResult> OnGetTemplateAsync(Guid id)
    {
        if (await LoadAsync(id) is { } refused)
        {
            return refused;
        }

        var template = await templates.ForPeriodAsync(id, Caller.From(User)!.UnitCode, HttpContext.RequestAborted);
        if (!template.IsSuccess)
        {
            Problem = template.Problem;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        return File(template.Value.Content, TemplateLayout.ContentType, template.Value.FileName);
    }

    public async Task<IActionResult> OnPostDryRunAsync(Guid id, IFormFile? file)
    {
        if (await LoadAsync(id) is { } refused)
        {
            return refused;
        }

        if (await ReadAsync(file) is not { } bytes)
        {
            return Page();
        }

        var result = await SubmitAsync(id, bytes, dryRun: true);
        if (!result.IsSuccess)
        {
            Problem = result.Problem;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        Verdict = result.Value.Verdict;
        var document = TemplateLayout.LooksLikeWorkbook(bytes.Span)
            ? SubmissionWorkbookReader.Read(bytes.ToArray()).Document
            : SubmissionReader.Read(bytes.Span, options.Value.MaxJsonDepth).Document;
        if (document is not null && Verdict is not null)
        {
            var form = catalog.Get(Period.FormId);
            var table = TableNormalizer.Normalize(form, document).Table;
            Sheet = new SubmissionSheet(form, form.Cells.ToDictionary(c => c.Id, c => table.GetValue(c.Index), StringComparer.Ordinal), Verdict.Violations);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostSubmitAsync(Guid id, IFormFile? file)
    {
        if (await LoadAsync(id) is { } refused)
        {
            return refused;
        }

        if (await ReadAsync(file) is not { } bytes)
        {
            return Page();
        }

        var result = await SubmitAsync(id, bytes, dryRun: false);
        if (!result.IsSuccess)
        {
            Problem = result.Problem;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        return Redirect($"/unit/submissions/{result.Value.Receipt!.SubmissionId}");
    }

    public async Task<IActionResult> OnPostWordAsync(Guid id, IFormFile? docx)
    {
        if (await LoadAsync(id) is { } refused)
        {
            return refused;
        }

        if (await ReadAsync(docx) is not { } bytes)
        {
            return Page();
        }

        var document = bytes.ToArray();
        var result = await word.SubmitAsync(id, document, Submitter(), Caller.From(User)!.UnitCode, dryRun: true, HttpContext.RequestAborted);
        if (!result.IsSuccess)
        {
            Problem = result.Problem;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        // The confirm re-reads the document the server kept, never values posted back by the browser: the bytes stay
        // in memory for 30 minutes under this key and period (one pending report each, a new upload replaces it), and
        // the confirm form carries only the digest of the report shown, so an upload in another tab is not confirmed
        // unseen. A confirm that reaches another replica or comes too late is asked to upload again; nothing is stored.
        WordDigest = Convert.ToHexString(SHA256.HashData(document));
        pendingWord.Set(PendingKey(id), document, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = WordPendingFor, Size = document.Length });
        Show(result.Value);
        return Page();
    }

    public async Task<IActionResult> OnPostWordConfirmAsync(Guid id, string? digest)
    {
        if (await LoadAsync(id) is { } refused)
        {
            return refused;
        }

        if (!pendingWord.TryGetValue(PendingKey(id), out byte[]? document) || document is null
            || !string.Equals(Convert.ToHexString(SHA256.HashData(document)), digest, StringComparison.Ordinal))
        {
            Problem = Application.Results.Problem.Of(ProblemCodes.WordUploadExpired, "请重新上传", "核对的页面已过期或已被另一次上传替换，请重新选择 Word 文件并核对后再确认。");
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        var result = await word.SubmitAsync(id, document, Submitter(), Caller.From(User)!.UnitCode, dryRun: false, HttpContext.RequestAborted);
        if (!result.IsSuccess)
        {
            Problem = result.Problem;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        pendingWord.Remove(PendingKey(id));
        return Redirect($"/unit/submissions/{result.Value.Intake.Receipt!.SubmissionId}");
    }

    private string PendingKey(Guid periodId) => $"word-pending:{Caller.From(User)!.KeyId:N}:{periodId:N}";

    private void Show(WordIntakeOutcome outcome)
    {
        Word = outcome.Report;
        Verdict = outcome.Intake.Verdict;
        var listed = (Verdict?.Violations ?? []).Where(v => v.Rule == NarrativeCheck.RuleId).Select(v => v.Message).ToHashSet(StringComparer.Ordinal);
        NarrativeOnly = [.. outcome.Report.NarrativeFindings.Select(f => f.Message).Where(message => !listed.Contains(message))];
        var form = outcome.Report.Form;
        var values = outcome.Report.Cells.ToDictionary(c => c.Cell.Id, c => c.Value, StringComparer.Ordinal);
        Sheet = new SubmissionSheet(form, values, Verdict?.Violations ?? [])
        {
            Doubts = [.. outcome.Report.Cells.Where(c => !c.IsSure).Select(c => (c.Cell.Id, c.Doubt!))],
        };
    }

    // The filled-in Excel template and the JSON file go through the same use case, as they do through the API.
    private Task<Result<IntakeOutcome>> SubmitAsync(Guid id, ReadOnlyMemory<byte> bytes, bool dryRun) =>
        TemplateLayout.LooksLikeWorkbook(bytes.Span)
            ? intake.SubmitWorkbookAsync(id, bytes.ToArray(), Submitter(), dryRun, HttpContext.RequestAborted)
            : intake.SubmitAsync(id, bytes, options.Value.MaxJsonDepth, Submitter(), dryRun, HttpContext.RequestAborted);

    private Submitter Submitter()
    {
        var caller = Caller.From(User)!;
        return Application.Submissions.Submitter.ForUnit(caller.Actor, caller.UnitCode!);
    }

    private async Task<ReadOnlyMemory<byte>?> ReadAsync(IFormFile? file)
    {
        if (file is null || file.Length == 0)
        {
            Problem = Application.Results.Problem.InvalidRequest("请选择要上传的报表文件。");
            return null;
        }

        if (file.Length > options.Value.MaxRequestBodyBytes)
        {
            Problem = Application.Results.Problem.Of("payload_too_large", "文件过大", $"报表文件不能超过 {options.Value.MaxRequestBodyBytes / 1024} KiB。");
            return null;
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, HttpContext.RequestAborted);
        return buffer.ToArray();
    }

    /// <summary>Loads the period; a period that does not expect this unit is answered as not found.</summary>
    private async Task<IActionResult?> LoadAsync(Guid id)
    {
        var unit = Caller.From(User)!.UnitCode!;
        if (await periods.GetAsync(id, HttpContext.RequestAborted) is not { } period || !await periods.IsExpectedAsync(id, unit, HttpContext.RequestAborted))
        {
            return NotFound();
        }

        Period = period;
        Current = await submissions.FindAsync(id, unit, HttpContext.RequestAborted);
        return null;
    }
}

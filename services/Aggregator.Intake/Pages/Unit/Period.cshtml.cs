using Aggregator.Application.Periods;
using Aggregator.Application.Results;
using Aggregator.Application.Submissions;
using Aggregator.Core.Forms;
using Aggregator.Core.Values;
using Aggregator.Intake.Authentication;
using Aggregator.Intake.Web;
using Aggregator.Reporting.Workbooks;
using Aggregator.Storage.Periods;
using Aggregator.Storage.Submissions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
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
    IOptions<IntakeOptions> options) : PageModel
{
    public Period Period { get; private set; } = null!;

    public Submission? Current { get; private set; }

    public Problem? Problem { get; private set; }

    public DryRunVerdict? Verdict { get; private set; }

    public SubmissionSheet? Sheet { get; private set; }

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

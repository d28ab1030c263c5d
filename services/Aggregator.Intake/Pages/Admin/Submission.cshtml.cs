using Aggregator.Application.Reviews;
using Aggregator.Intake.Authentication;
using Aggregator.Intake.Web;
using Aggregator.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aggregator.Intake.Pages.Admin;

/// <summary>A unit's submission for the office: its tables, the return and acceptance forms, and a comparison of two versions.</summary>
public sealed class SubmissionModel(SubmissionPages pages, SubmissionReviews reviews, SubmissionDiff diff) : PageModel
{
    public SubmissionPageView View { get; private set; } = null!;

    /// <summary>The cells changed between <see cref="From"/> and <see cref="To"/>, when both are chosen.</summary>
    public VersionDiff? Diff { get; private set; }

    [BindProperty(SupportsGet = true)]
    public int? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? To { get; set; }

    [TempData]
    public string? Message { get; set; }

    [TempData]
    public bool IsError { get; set; }

    /// <summary>The version shown is the latest and validated, not yet returned: the office may return it.</summary>
    public bool MayReturn => IsLatest && View.Submission.Status is SubmissionStatus.Accepted or SubmissionStatus.AcceptedWithWarnings or SubmissionStatus.Rejected;

    /// <summary>The version shown is the latest, only warnings fail, and it was not accepted with a justification yet.</summary>
    public bool MayAccept => IsLatest && View.Submission.Status == SubmissionStatus.AcceptedWithWarnings && View.Submission.Acceptance is null;

    private bool IsLatest => View.Submission.Version == View.Submission.LatestVersion;

    public async Task<IActionResult> OnGetAsync(Guid id, int? version)
    {
        if (await pages.LoadAsync(id, version is > 0 ? version : null, HttpContext.RequestAborted) is not { } view)
        {
            return NotFound();
        }

        View = view;
        if (From is > 0 && To is > 0)
        {
            var compared = await diff.CompareAsync(id, From.Value, To.Value, HttpContext.RequestAborted);
            if (compared.IsSuccess)
            {
                Diff = compared.Value;
            }
            else
            {
                (Message, IsError) = (compared.Problem.Detail, true);
            }
        }

        return Page();
    }

    public async Task<IActionResult> OnPostReturnAsync(Guid id, int version, string? reason)
    {
        var result = await reviews.ReturnAsync(id, version, reason, Caller.From(User)!.Actor, HttpContext.RequestAborted);
        return Done(id, result.IsSuccess ? $"已退回第 {version} 版，填报单位将在本单位页面看到退回原因。" : result.Problem.Detail, !result.IsSuccess);
    }

    public async Task<IActionResult> OnPostAcceptAsync(Guid id, int version, string? justification)
    {
        var result = await reviews.AcceptAsync(id, version, justification, Caller.From(User)!.Actor, HttpContext.RequestAborted);
        return Done(id, result.IsSuccess ? $"已说明理由接受第 {version} 版。" : result.Problem.Detail, !result.IsSuccess);
    }

    private RedirectToPageResult Done(Guid id, string message, bool error)
    {
        Message = message;
        IsError = error;
        return RedirectToPage(new { id });
    }
}

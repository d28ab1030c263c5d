using Aggregator.Intake.Authentication;
using Aggregator.Intake.Web;
using Aggregator.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aggregator.Intake.Pages.Unit;

public sealed class UnitSubmissionModel(SubmissionPages pages) : PageModel
{
    public SubmissionPageView View { get; private set; } = null!;

    /// <summary>Why the page is refused (another unit's submission); null when it is shown.</summary>
    public string? Refusal { get; private set; }

    public bool IsPending => View.Submission.Status == SubmissionStatus.Received;

    public async Task<IActionResult> OnGetAsync(Guid id, int? version) => await LoadAsync(id, version) ?? Page();

    /// <summary>The verdict alone, for the page's live refresh while validation runs.</summary>
    public async Task<IActionResult> OnGetFragmentAsync(Guid id) => await LoadAsync(id, null) ?? (Refusal is null ? Partial("_Verdict", this) : Page());

    private async Task<IActionResult?> LoadAsync(Guid id, int? version)
    {
        if (await pages.LoadAsync(id, version is > 0 ? version : null, HttpContext.RequestAborted) is not { } view)
        {
            return NotFound();
        }

        // The same answer as the API's not_your_unit: a unit key never sees another unit's tables.
        var caller = Caller.From(User)!;
        if (!caller.MaySee(view.Submission.UnitCode))
        {
            Refusal = $"本密钥属于单位“{caller.UnitCode}”，不能查看其他单位的报表。";
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return null;
        }

        View = view;
        return null;
    }
}

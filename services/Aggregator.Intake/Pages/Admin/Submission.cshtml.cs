using Aggregator.Intake.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aggregator.Intake.Pages.Admin;

public sealed class SubmissionModel(SubmissionPages pages) : PageModel
{
    public SubmissionPageView View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, int? version)
    {
        if (await pages.LoadAsync(id, version is > 0 ? version : null, HttpContext.RequestAborted) is not { } view)
        {
            return NotFound();
        }

        View = view;
        return Page();
    }
}

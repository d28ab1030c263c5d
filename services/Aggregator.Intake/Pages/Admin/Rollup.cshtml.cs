using Aggregator.Application.Rollups;
using Aggregator.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aggregator.Intake.Pages.Admin;

public sealed class RollupModel(RollupQuery rollups) : PageModel
{
    public RollupView View { get; private set; } = null!;

    public bool IsFinished => View.Status is RollupStatus.Completed or RollupStatus.Failed;

    public async Task<IActionResult> OnGetAsync(Guid id) => await LoadAsync(id) ? Page() : NotFound();

    /// <summary>The rollup's state alone, for the page's live refresh while it runs.</summary>
    public async Task<IActionResult> OnGetStatusAsync(Guid id) => await LoadAsync(id) ? Partial("_Rollup", this) : NotFound();

    private async Task<bool> LoadAsync(Guid id)
    {
        if (await rollups.GetAsync(id, HttpContext.RequestAborted) is not { } view)
        {
            return false;
        }

        View = view;
        return true;
    }
}

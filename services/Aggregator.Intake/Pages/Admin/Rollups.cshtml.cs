using Aggregator.Application.Periods;
using Aggregator.Application.Rollups;
using Aggregator.Intake.Authentication;
using Aggregator.Storage.Periods;
using Aggregator.Storage.Rollups;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aggregator.Intake.Pages.Admin;

public sealed class RollupsModel(PeriodService periods, RollupQuery rollups, RollupRequests requests) : PageModel
{
    public Period Period { get; private set; } = null!;

    public IReadOnlyList<Rollup> Rollups { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        if (await periods.GetAsync(id, HttpContext.RequestAborted) is not { } period)
        {
            return NotFound();
        }

        Period = period;
        Rollups = [.. (await rollups.ListAsync(id, HttpContext.RequestAborted)).OrderByDescending(r => r.RequestedAt)];
        return Page();
    }

    public async Task<IActionResult> OnPostRequestAsync(Guid id)
    {
        var requested = await requests.RequestAsync(id, null, Caller.From(User)!.Actor, HttpContext.RequestAborted);
        if (!requested.IsSuccess)
        {
            Message = $"{requested.Problem.Title}：{requested.Problem.Detail}";
            return RedirectToPage(new { id });
        }

        return Redirect($"/admin/rollups/{requested.Value.RollupId}");
    }
}

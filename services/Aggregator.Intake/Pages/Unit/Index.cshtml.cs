using Aggregator.Application.Periods;
using Aggregator.Intake.Authentication;
using Aggregator.Storage.Periods;
using Aggregator.Storage.Submissions;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aggregator.Intake.Pages.Unit;

/// <summary>A department's periods: only those that expect it, with its own submission in each.</summary>
public sealed class UnitIndexModel(PeriodService periods, SubmissionRepository submissions) : PageModel
{
    public string UnitCode { get; private set; } = "";

    public IReadOnlyList<(Period Period, Submission? Submission)> Periods { get; private set; } = [];

    public async Task OnGetAsync()
    {
        UnitCode = Caller.From(User)!.UnitCode!;
        var list = new List<(Period, Submission?)>();
        foreach (var period in await periods.ListAsync(HttpContext.RequestAborted))
        {
            if (await periods.IsExpectedAsync(period.Id, UnitCode, HttpContext.RequestAborted))
            {
                list.Add((period, await submissions.FindAsync(period.Id, UnitCode, HttpContext.RequestAborted)));
            }
        }

        Periods = list;
    }
}

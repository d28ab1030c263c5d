using Aggregator.Application.Periods;
using Aggregator.Intake.Authentication;
using Aggregator.Intake.Web;
using Aggregator.Storage.Periods;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aggregator.Intake.Pages;

[Authorize(AuthenticationSchemes = WebPages.Scheme)]
public sealed class IndexModel(PeriodService periods) : PageModel
{
    public Caller? Caller { get; private set; }

    public IReadOnlyList<Period> Periods { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        Caller = Caller.From(User);
        if (Caller is { IsAdmin: true })
        {
            Periods = await periods.ListAsync(HttpContext.RequestAborted);
        }

        return Page();
    }
}

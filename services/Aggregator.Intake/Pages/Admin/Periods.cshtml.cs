using Aggregator.Application.Periods;
using Aggregator.Core.Forms;
using Aggregator.Intake.Authentication;
using Aggregator.Storage.Periods;
using Aggregator.Storage.Units;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aggregator.Intake.Pages.Admin;

public sealed class PeriodsModel(PeriodService periods, UnitRepository units, FormCatalog catalog, TimeProvider clock) : PageModel
{
    public IReadOnlyList<Period> Periods { get; private set; } = [];

    public IReadOnlyList<FormDefinition> Forms => catalog.Forms;

    /// <summary>Units that have units below them: the roots a period can be opened for.</summary>
    public IReadOnlyList<OrgUnit> Roots { get; private set; } = [];

    public int DefaultYear => clock.GetUtcNow().Year - 1;

    public string DefaultDueDate => $"{clock.GetUtcNow().Year}-01-31";

    [TempData]
    public string? Message { get; set; }

    [TempData]
    public bool IsError { get; set; }

    public async Task OnGetAsync()
    {
        Periods = await periods.ListAsync(HttpContext.RequestAborted);
        var all = await units.ListAsync(HttpContext.RequestAborted);
        var parents = all.Where(u => u.ParentCode is not null).Select(u => u.ParentCode!).ToHashSet(StringComparer.Ordinal);
        Roots = [.. all.Where(u => parents.Contains(u.Code)).OrderBy(u => u.Code, StringComparer.Ordinal)];
    }

    public async Task<IActionResult> OnPostOpenAsync(int year, string? formId, string? rootUnit, DateOnly? dueDate)
    {
        var form = formId is { Length: > 0 } ? formId : catalog.TryGetForYear(year, out var byYear) ? byYear.Id : "";
        if (dueDate is null)
        {
            return Done("请填写截止日期。", error: true);
        }

        var opened = await periods.OpenAsync(new OpenPeriodRequest(year, form, rootUnit ?? "", dueDate.Value), Caller.From(User)!.Actor, HttpContext.RequestAborted);
        if (!opened.IsSuccess)
        {
            var detail = string.Join("；", opened.Problem.Errors.Select(e => e.Message).DefaultIfEmpty(opened.Problem.Detail));
            return Done($"{opened.Problem.Title}：{detail}", error: true);
        }

        return Done($"已开启 {year} 年度填报期（{opened.Value.ExpectedUnitCount} 个填报单位）。", error: false);
    }

    public async Task<IActionResult> OnPostCloseAsync(Guid id)
    {
        var closed = await periods.CloseAsync(id, Caller.From(User)!.Actor, HttpContext.RequestAborted);
        return closed.IsSuccess ? Done($"已关闭 {closed.Value.Year} 年度填报期。", error: false) : Done(closed.Problem.Detail, error: true);
    }

    private RedirectToPageResult Done(string message, bool error)
    {
        Message = message;
        IsError = error;
        return RedirectToPage();
    }
}

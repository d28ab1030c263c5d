using Aggregator.Application.Periods;
using Aggregator.Intake.Authentication;
using Aggregator.Storage.Periods;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aggregator.Intake.Pages.Admin;

/// <summary>The completeness board of a period: every expected unit, where it stands, and why it failed.</summary>
public sealed class BoardModel(PeriodService periods, CompletenessQuery completeness) : PageModel
{
    public static IReadOnlyList<(string Value, string Text)> StatusFilters { get; } =
    [
        ("missing", "未报送"), ("received", "待校验"), ("accepted", "通过"), ("accepted_with_warnings", "有警告"), ("rejected", "未通过"), ("returned", "退回"), ("late", "逾期"),
    ];

    public Period Period { get; private set; } = null!;

    public CompletenessView View { get; private set; } = null!;

    public IReadOnlyList<UnitCompletenessView> Rows { get; private set; } = [];

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(Name = "q", SupportsGet = true)]
    public string? Query { get; set; }

    /// <summary>The node whose subtree the board shows (<c>?node=CODE</c>); null: the whole period.</summary>
    [BindProperty(Name = "node", SupportsGet = true)]
    public string? Node { get; set; }

    /// <summary>The units expected to report in the node's subtree: a node with units under it is summed through them.</summary>
    public IReadOnlyList<UnitCompletenessView> Reporting { get; private set; } = [];

    /// <summary>The node's direct children with their subtree's counts, when some of them have units under them; else empty.</summary>
    public IReadOnlyList<ChildCompleteness> Children { get; private set; } = [];

    /// <summary>The nodes from the top down to <see cref="Node"/>, for the breadcrumb.</summary>
    public IReadOnlyList<UnitCompletenessView> NodePath { get; private set; } = [];

    public int Count(string status) => Reporting.Count(u => u.Status == status);

    [TempData]
    public string? Message { get; set; }

    [TempData]
    public bool IsError { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id) => await LoadAsync(id) ? Page() : NotFound();

    /// <summary>The board alone, for the page's live refresh.</summary>
    public async Task<IActionResult> OnGetRowsAsync(Guid id) => await LoadAsync(id) ? Partial("_Board", this) : NotFound();

    /// <summary>Reopens the closed period for one unit: only it may submit until it is closed again.</summary>
    public async Task<IActionResult> OnPostReopenUnitAsync(Guid id, string unitCode)
    {
        var result = await periods.ReopenForUnitAsync(id, unitCode ?? "", Caller.From(User)!.Actor, HttpContext.RequestAborted);
        return Done(id, result.IsSuccess ? $"已为单位 {unitCode} 重新开放填报期，其他单位仍不能报送。" : result.Problem.Detail, !result.IsSuccess);
    }

    public async Task<IActionResult> OnPostCloseUnitAsync(Guid id, string unitCode)
    {
        var result = await periods.CloseForUnitAsync(id, unitCode ?? "", Caller.From(User)!.Actor, HttpContext.RequestAborted);
        return Done(id, result.IsSuccess ? $"已对单位 {unitCode} 再次关闭填报期。" : result.Problem.Detail, !result.IsSuccess);
    }

    private RedirectToPageResult Done(Guid id, string message, bool error)
    {
        Message = message;
        IsError = error;
        return RedirectToPage(new { id });
    }

    private async Task<bool> LoadAsync(Guid id)
    {
        if (await periods.GetAsync(id, HttpContext.RequestAborted) is not { } period
            || await completeness.GetAsync(id, HttpContext.RequestAborted) is not { } view)
        {
            return false;
        }

        var tree = new CompletenessTree(view);
        if (Node is { Length: > 0 } node && !tree.Contains(node))
        {
            return false;
        }

        var at = Node is { Length: > 0 } ? Node : null;
        Period = period;
        View = view;
        Reporting = tree.Reporting(at);
        Children = tree.HasInnerChildren(at) ? tree.ChildCounts(at) : [];
        NodePath = at is null ? [] : tree.PathTo(at);
        IEnumerable<UnitCompletenessView> rows = Reporting;
        if (Status is "late")
        {
            rows = rows.Where(u => u.Late);
        }
        else if (Status is { Length: > 0 } status)
        {
            rows = rows.Where(u => u.Status == status);
        }

        if (Query is { Length: > 0 } query)
        {
            rows = rows.Where(u => u.UnitName.Contains(query, StringComparison.OrdinalIgnoreCase) || u.UnitCode.Contains(query, StringComparison.OrdinalIgnoreCase));
        }

        Rows = [.. rows];
        return true;
    }
}

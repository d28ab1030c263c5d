using Aggregator.Application.Periods;
using Aggregator.Application.Reports;
using Aggregator.Application.Rollups;
using Aggregator.Core.Forms;
using Aggregator.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aggregator.Intake.Pages.Admin;

public sealed class RollupModel(RollupQuery rollups, PeriodService periods, FormCatalog catalog, ReportQuery reports) : PageModel
{
    // The totals shown first; every other summed cell is one click further (the full list below them).
    private static readonly string[] KeyCellIds =
    [
        "s2_1.normative_doc.new_published", "s2_1.normative_doc.issued", "s3.r1_new.total", "s3.r2_carried_in.total",
        "s3.r3_7_total.total", "s3.r4_carry_out.total", "s4.review.total", "s4.lit_direct.total", "s4.lit_after_review.total",
        "stat.s1_1.value", "stat.s3_1.value", "stat.s3_3.value", "stat.s4.value", "stat.s5.value", "stat.s6.value",
    ];

    public RollupView View { get; private set; } = null!;

    /// <summary>The consolidated cells with their labels, each a link to where its number comes from.</summary>
    public IReadOnlyList<(string CellId, string Label, string Kind, decimal? Value, bool Key)> Figures { get; private set; } = [];

    public string DrilldownLink(string cellId) => $"/admin/rollups/{View.RollupId}/drilldown?cell={Uri.EscapeDataString(cellId)}";

    public bool IsFinished => View.Status is RollupStatus.Completed or RollupStatus.Failed;

    /// <summary>While the rollup renders: its public HTML report is stored already and can be opened.</summary>
    public bool HtmlReadable { get; private set; }

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
        HtmlReadable = view.Status == RollupStatus.Rendering
            && (await reports.ReadableFormatsAsync(id, HttpContext.RequestAborted)).Contains(ReportFormat.Html);
        if (view.Status is RollupStatus.Rendering or RollupStatus.Completed
            && await periods.GetAsync(view.PeriodId, HttpContext.RequestAborted) is { } period
            && catalog.TryGet(period.FormId, out var form))
        {
            Figures = [.. form.Cells
                .Where(cell => !cell.IsHeading)
                .Select(cell => (cell.Id, cell.Label, cell.Type switch { CellType.Decimal => "money", CellType.SignedInteger => "signed", _ => "count" },
                    view.Values.TryGetValue(cell.Id, out var value) ? value : (decimal?)null, KeyCellIds.Contains(cell.Id)))];
        }

        return true;
    }
}

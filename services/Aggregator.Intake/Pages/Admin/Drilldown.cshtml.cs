using System.Globalization;
using Aggregator.Application.Rollups;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aggregator.Intake.Pages.Admin;

public sealed class DrilldownModel(RollupDrilldown drilldown) : PageModel
{
    public RollupDrilldownView View { get; private set; } = null!;

    public string? Refusal { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, string? cell, string? unit)
    {
        var result = await drilldown.GetAsync(id, cell, unit, HttpContext.RequestAborted);
        if (result.IsSuccess)
        {
            View = result.Value;
            return Page();
        }

        if (result.Problem.Code == Application.Results.ProblemCodes.NotFound)
        {
            return NotFound();
        }

        Refusal = result.Problem.Detail;
        Response.StatusCode = Problems.ProblemStatus.Of(result.Problem.Code);
        return Page();
    }

    public string Link(string unitCode) =>
        $"/admin/rollups/{View.RollupId}/drilldown?cell={Uri.EscapeDataString(View.CellId)}&unit={Uri.EscapeDataString(unitCode)}";

    /// <summary>A cell's value as the report prints it: counts whole, 本年增/减 with its sign, money in 万元.</summary>
    public static string Format(decimal? value, string kind)
    {
        var number = value ?? 0m;
        return kind switch
        {
            "money" => number.ToString("#,0.######", CultureInfo.InvariantCulture) + " 万元",
            "signed" => (number > 0 ? "+" : string.Empty) + number.ToString("#,0", CultureInfo.InvariantCulture),
            _ => number.ToString("#,0", CultureInfo.InvariantCulture),
        };
    }

    public static string StatusWord(string status) => status switch
    {
        "included" => "已汇总",
        "node" => "下级汇总",
        "empty" => "无已汇总单位",
        "rejected" => "未通过或退回",
        "missing" => "未报送",
        "pending" => "待校验",
        _ => status,
    };

    public static string StatusClass(string status) => status switch
    {
        "included" or "node" => "accepted",
        "rejected" => "rejected",
        "pending" => "received",
        _ => "missing",
    };
}

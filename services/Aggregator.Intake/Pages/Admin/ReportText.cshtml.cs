using Aggregator.Application.Periods;
using Aggregator.Application.Reports;
using Aggregator.Application.Results;
using Aggregator.Intake.Authentication;
using Aggregator.Reporting;
using Aggregator.Storage.Periods;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aggregator.Intake.Pages.Admin;

/// <summary>The office's own text of a period's report, read and saved through the same service as <c>/api/v1/periods/{id}/report-text</c>.</summary>
public sealed class ReportTextModel(PeriodService periods, ReportTextService texts) : PageModel
{
    /// <summary>The text fields in the order the report prints them; the key is the API's field name.</summary>
    public static IReadOnlyList<TextField> Fields { get; } =
    [
        new("compiled_by", nameof(ReportTextForm.CompiledBy), "编制单位（全称）", false, f => f.CompiledBy),
        new("contact", nameof(ReportTextForm.Contact), "联系方式", false, f => f.Contact),
        new("address", nameof(ReportTextForm.Address), "地址", false, f => f.Address),
        new("overview", nameof(ReportTextForm.Overview), "一、总体情况（开头文字）", true, f => f.Overview),
        new("proactive", nameof(ReportTextForm.Proactive), "（一）主动公开", true, f => f.Proactive),
        new("applications", nameof(ReportTextForm.Applications), "（二）依申请公开", true, f => f.Applications),
        new("management", nameof(ReportTextForm.Management), "（三）政府信息管理", true, f => f.Management),
        new("platform", nameof(ReportTextForm.Platform), "（四）平台建设", true, f => f.Platform),
        new("oversight", nameof(ReportTextForm.Oversight), "（五）监督保障", true, f => f.Oversight),
        new("problems", nameof(ReportTextForm.Problems), "五、存在的主要问题及改进情况", true, f => f.Problems),
        new("other", nameof(ReportTextForm.Other), "六、其他需要报告的事项", true, f => f.Other),
    ];

    public Period Period { get; private set; } = null!;

    [BindProperty]
    public ReportTextForm Input { get; set; } = new();

    public DateTimeOffset? UpdatedAt { get; private set; }

    public string? UpdatedBy { get; private set; }

    /// <summary>The service's refusal, when the last save was refused.</summary>
    public Problem? Refused { get; private set; }

    [TempData]
    public string? Message { get; set; }

    public string? ErrorOf(string key) => Refused?.Errors.FirstOrDefault(e => e.Field == key)?.Message;

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        if (!await LoadPeriodAsync(id))
        {
            return NotFound();
        }

        if (await texts.GetAsync(id, HttpContext.RequestAborted) is { } view)
        {
            Input = ReportTextForm.From(view.Text);
            UpdatedAt = view.UpdatedAt;
            UpdatedBy = view.UpdatedBy;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        if (!await LoadPeriodAsync(id))
        {
            return NotFound();
        }

        if (!ModelState.IsValid)
        {
            return Refuse(Problem.InvalidRequest("报告文字不符合要求。", new FieldError("published_on", "应为 YYYY-MM-DD 格式的日期")));
        }

        var saved = await texts.SaveAsync(id, Input.ToText(), Caller.From(User)!.Actor, HttpContext.RequestAborted);
        if (!saved.IsSuccess)
        {
            return Refuse(saved.Problem);
        }

        Message = "已保存报告文字。之后生成的汇总报告使用这些文字；请重新发起汇总查看。";
        return RedirectToPage(new { id });
    }

    private PageResult Refuse(Problem problem)
    {
        Refused = problem;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<bool> LoadPeriodAsync(Guid id)
    {
        if (await periods.GetAsync(id, HttpContext.RequestAborted) is not { } period)
        {
            return false;
        }

        Period = period;
        return true;
    }
}

/// <summary>A field of the text form: <paramref name="Key"/> as the service names it, <paramref name="Name"/> as the form posts it.</summary>
public sealed record TextField(string Key, string Name, string Label, bool Multiline, Func<ReportTextForm, string?> Value);

/// <summary>The posted form; blank fields keep the report's placeholder.</summary>
public sealed class ReportTextForm
{
    public string? CompiledBy { get; set; }

    public DateOnly? PublishedOn { get; set; }

    public string? Contact { get; set; }

    public string? Address { get; set; }

    public string? Overview { get; set; }

    public string? Proactive { get; set; }

    public string? Applications { get; set; }

    public string? Management { get; set; }

    public string? Platform { get; set; }

    public string? Oversight { get; set; }

    public string? Problems { get; set; }

    public string? Other { get; set; }

    public static ReportTextForm From(ReportText text) => new()
    {
        CompiledBy = text.CompiledBy,
        PublishedOn = text.PublishedOn,
        Contact = text.Contact,
        Address = text.Address,
        Overview = text.Overview,
        Proactive = text.Proactive,
        Applications = text.Applications,
        Management = text.Management,
        Platform = text.Platform,
        Oversight = text.Oversight,
        Problems = text.Problems,
        Other = text.Other,
    };

    public ReportText ToText() => new()
    {
        CompiledBy = CompiledBy,
        PublishedOn = PublishedOn,
        Contact = Contact,
        Address = Address,
        Overview = Overview,
        Proactive = Proactive,
        Applications = Applications,
        Management = Management,
        Platform = Platform,
        Oversight = Oversight,
        Problems = Problems,
        Other = Other,
    };
}

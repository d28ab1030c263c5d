using System.Text;
using Aggregator.Application.Periods;
using Aggregator.Application.Results;
using Aggregator.Application.Security;
using Aggregator.Application.Units;
using Aggregator.Intake.Authentication;
using Aggregator.Intake.Web;
using Aggregator.Storage;
using Aggregator.Storage.Periods;
using Aggregator.Storage.Units;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aggregator.Intake.Pages.Admin;

/// <summary>The unit tree: add, rename, move, import a list (dry run, then confirm), issue every unit a key at once.</summary>
public sealed class UnitsModel(UnitRegistry registry, UnitImport import, UnitKeyBatch keyBatch, PeriodService periods, TimeProvider clock) : PageModel
{
    private const long MaxListBytes = 1024 * 1024;

    public IReadOnlyList<OrgUnit> Units { get; private set; } = [];

    public ILookup<string, OrgUnit> Children { get; private set; } = Array.Empty<OrgUnit>().ToLookup(unit => unit.Code);

    /// <summary>Units without a parent, or whose parent is not registered.</summary>
    public IReadOnlyList<OrgUnit> Roots { get; private set; } = [];

    public IReadOnlyList<Period> Periods { get; private set; } = [];

    public static IReadOnlyList<string> Kinds { get; } =
        [OrgUnitKind.District, OrgUnitKind.Department, OrgUnitKind.Township, OrgUnitKind.Street, OrgUnitKind.City, OrgUnitKind.Other];

    /// <summary>The dry run of a list just previewed, shown until the office confirms it.</summary>
    public UnitImportPlan? Plan { get; private set; }

    /// <summary>The list previewed, carried in the confirm form so that exactly what was shown is imported.</summary>
    public string? ListText { get; private set; }

    /// <summary>The .xlsx previewed, in base64, carried in the confirm form as <see cref="ListText"/> is.</summary>
    public string? ListWorkbook { get; private set; }

    /// <summary>Why a confirmed import stored nothing, shown above the dry run of this request.</summary>
    public string? ImportError { get; private set; }

    [TempData]
    public string? Message { get; set; }

    [TempData]
    public bool IsError { get; set; }

    public Task OnGetAsync() => LoadAsync();

    public async Task<IActionResult> OnPostAddAsync(string? code, string? name, string? kind, string? parent)
    {
        if (!UnitCodes.IsValid(code))
        {
            return Done($"单位代码“{code}”格式不正确：应为 1–{UnitCodes.MaxLength} 个字母、数字、“_”“-”或“.”，以字母或数字开头。", error: true);
        }

        if (await registry.GetAsync(code!, HttpContext.RequestAborted) is not null)
        {
            return Done($"单位代码“{code}”已登记；要改名或移动请用下面的表单。", error: true);
        }

        var added = await registry.UpsertAsync(
            [new UnitRegistration(code!, name?.Trim() ?? "", kind ?? "", string.IsNullOrWhiteSpace(parent) ? null : parent)], Actor, HttpContext.RequestAborted);
        return added.IsSuccess ? Done($"已添加单位“{name?.Trim()}”（{code}）。", error: false) : Done(Describe(added.Problem), error: true);
    }

    public async Task<IActionResult> OnPostRenameAsync(string? code, string? name)
    {
        var changed = await registry.ChangeAsync(code ?? "", new UnitChange(name ?? "", null), Actor, HttpContext.RequestAborted);
        return changed.IsSuccess ? Done($"已将单位 {code} 改名为“{changed.Value.Name}”。", error: false) : Done(Describe(changed.Problem), error: true);
    }

    public async Task<IActionResult> OnPostMoveAsync(string? code, string? parent)
    {
        var changed = await registry.ChangeAsync(code ?? "", new UnitChange(null, parent ?? ""), Actor, HttpContext.RequestAborted);
        if (!changed.IsSuccess)
        {
            return Done(Describe(changed.Problem), error: true);
        }

        return Done(changed.Value.ParentCode is { } under
            ? $"已将“{changed.Value.Name}”移到 {under} 之下。已开启的填报期不受影响（其填报单位在开启时确定）。"
            : $"“{changed.Value.Name}”现在是根单位。", error: false);
    }

    public async Task<IActionResult> OnPostPreviewAsync(string? list, IFormFile? file)
    {
        var (text, workbook, problem) = await ListAsync(list, file);
        if (problem is not null)
        {
            return Done(problem, error: true);
        }

        ListText = text;
        ListWorkbook = workbook is null ? null : Convert.ToBase64String(workbook);
        Plan = await import.PlanAsync(Read(text, workbook), HttpContext.RequestAborted);
        await LoadAsync();
        return Page();
    }

    /// <param name="list">The CSV previewed, or</param>
    /// <param name="workbook">the .xlsx previewed, in base64.</param>
    public async Task<IActionResult> OnPostImportAsync(string? list, string? workbook)
    {
        byte[]? bytes = null;
        if (!string.IsNullOrEmpty(workbook))
        {
            try
            {
                bytes = Convert.FromBase64String(workbook);
            }
            catch (FormatException)
            {
                return Done("没有要导入的单位清单。", error: true);
            }
        }
        else if (string.IsNullOrWhiteSpace(list))
        {
            return Done("没有要导入的单位清单。", error: true);
        }

        var applied = await import.ApplyAsync(Read(list, bytes), Actor, HttpContext.RequestAborted);
        if (!applied.IsSuccess)
        {
            // Show the dry run again with every wrong line: nothing was stored.
            ListText = bytes is null ? list : null;
            ListWorkbook = bytes is null ? null : workbook;
            Plan = await import.PlanAsync(Read(list, bytes), HttpContext.RequestAborted);
            ImportError = Describe(applied.Problem);
            await LoadAsync();
            return Page();
        }

        var plan = applied.Value;
        return Done($"已导入：新增 {plan.Count(UnitImportAction.Add)} 个单位，修改 {plan.Count(UnitImportAction.Change)} 个，{plan.Count(UnitImportAction.Unchanged)} 个没有变化。", error: false);
    }

    /// <summary>The blank .xlsx unit list: the header row, and the kinds on a second sheet.</summary>
    public IActionResult OnGetTemplate() =>
        File(UnitListTemplate.Write([.. Kinds.Select(kind => (kind, Words.UnitKind(kind)))]), UnitList.XlsxContentType, UnitListTemplate.FileName);

    public async Task<IActionResult> OnPostKeysAsync(Guid? periodId)
    {
        if (periodId is null)
        {
            return Done("请选择填报期。", error: true);
        }

        var issued = await keyBatch.IssueAsync(periodId, null, null, Actor, HttpContext.RequestAborted);
        if (!issued.IsSuccess)
        {
            return Done(Describe(issued.Problem), error: true);
        }

        Response.Headers.CacheControl = "no-store";
        return File(UnitKeysCsv.Write(issued.Value), UnitKeysCsv.ContentType, UnitKeysCsv.FileName(clock.GetUtcNow()));
    }

    public string NameOf(string? code) => code is null ? "" : Units.FirstOrDefault(unit => unit.Code == code)?.Name ?? code;

    private Actor Actor => Caller.From(User)!.Actor;

    private async Task LoadAsync()
    {
        Units = await registry.ListAsync(HttpContext.RequestAborted);
        var codes = Units.Select(unit => unit.Code).ToHashSet(StringComparer.Ordinal);
        Children = Units.Where(unit => unit.ParentCode is not null && codes.Contains(unit.ParentCode)).ToLookup(unit => unit.ParentCode!, StringComparer.Ordinal);
        Roots = [.. Units.Where(unit => unit.ParentCode is null || !codes.Contains(unit.ParentCode))];
        Periods = [.. (await periods.ListAsync(HttpContext.RequestAborted)).Where(period => period.Status == PeriodStatus.Open)];
    }

    private static UnitListRead Read(string? text, byte[]? workbook) =>
        workbook is not null ? UnitList.ReadXlsx(workbook) : UnitList.ReadCsv(new StringReader(text ?? ""));

    private static async Task<(string? Text, byte[]? Workbook, string? Problem)> ListAsync(string? list, IFormFile? file)
    {
        if (file is { Length: > 0 })
        {
            if (file.Length > MaxListBytes)
            {
                return (null, null, $"文件 {file.FileName} 超过 {MaxListBytes / 1024} KB。");
            }

            if (file.FileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase))
            {
                using var buffer = new MemoryStream();
                await file.CopyToAsync(buffer);
                return (null, buffer.ToArray(), null);
            }

            if (!file.FileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && !file.FileName.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
            {
                return (null, null, $"文件 {file.FileName} 应为 Excel 工作簿（.xlsx）或 CSV（UTF-8，表头 code,name,kind,parent）。");
            }

            using var reader = new StreamReader(file.OpenReadStream(), new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
            try
            {
                return (await reader.ReadToEndAsync(), null, null);
            }
            catch (DecoderFallbackException)
            {
                return (null, null, $"文件 {file.FileName} 不是 UTF-8 编码；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”，或直接上传 .xlsx。");
            }
        }

        return string.IsNullOrWhiteSpace(list) ? (null, null, "请粘贴单位清单，或选择 Excel（.xlsx）或 CSV 文件。") : (list, null, null);
    }

    private static string Describe(Problem problem) =>
        problem.Errors.Count == 0 ? problem.Detail : $"{problem.Detail}{string.Join("；", problem.Errors.Select(error => error.Message))}";

    private RedirectToPageResult Done(string message, bool error)
    {
        Message = message;
        IsError = error;
        return RedirectToPage();
    }
}

using System.CommandLine;
using System.Globalization;
using Aggregator.Application.Units;
using Aggregator.Core.Forms;
using Aggregator.Reporting.Workbooks;

namespace Aggregator.Cli.Commands;

/// <summary>
/// <c>aggregator template --form ID [--year N] [--unit CODE] [--unit-name NAME] [--out FILE.xlsx]</c>: writes the Excel
/// template a department fills in (the same workbook as <c>GET /periods/{id}/template.xlsx</c>); <c>validate</c>,
/// <c>rollup</c> and the API read it back.
/// </summary>
public static class TemplateCommand
{
    public static Command Create()
    {
        var form = new Option<string>("--form") { Description = "表式：stat_pre2019、fmt_2019 或 fmt_2021", Required = true };
        var year = new Option<int?>("--year") { Description = "报告年度（默认：该表式适用的最近一个年度）" };
        var unit = new Option<string?>("--unit") { Description = "填报单位代码（给出后模板中不能再修改）" };
        var unitName = new Option<string?>("--unit-name") { Description = "填报单位名称" };
        var output = new Option<FileInfo?>("--out") { Description = "输出文件（默认：报表模板-<表式>-<年度>[-<单位>].xlsx）" };
        var command = new Command("template", "生成 Excel 报表模板（按表式和年度，可指定单位）") { form, year, unit, unitName, output };
        command.SetAction(parsed => Run(
            parsed.GetValue(form)!,
            parsed.GetValue(year),
            parsed.GetValue(unit),
            parsed.GetValue(unitName),
            parsed.GetValue(output),
            parsed.InvocationConfiguration.Output,
            parsed.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string formId, int? year, string? unit, string? unitName, FileInfo? output, TextWriter stdout, TextWriter stderr)
    {
        if (!FormCatalog.Default.TryGet(formId, out var form))
        {
            stderr.WriteLine($"未知的表式“{formId}”；可用的表式：{string.Join("、", FormCatalog.Default.Forms.Select(f => f.Id))}");
            return ExitCodes.BadInput;
        }

        var reportYear = year ?? DefaultYear(form);
        if (!form.ValidYears.Contains(reportYear))
        {
            stderr.WriteLine($"表式 {form.Id} 不用于 {reportYear} 年度的报告（适用年度：{Years(form.ValidYears)}）。");
            return ExitCodes.BadInput;
        }

        var unitCode = string.IsNullOrWhiteSpace(unit) ? null : unit.Trim();
        if (unitCode is not null && !UnitCodes.IsValid(unitCode))
        {
            stderr.WriteLine($"单位代码“{unitCode}”格式不正确。");
            return ExitCodes.BadInput;
        }

        var request = new SubmissionTemplateRequest(reportYear, unitCode, unitName);
        var path = output?.FullName ?? Path.GetFullPath(SubmissionTemplateWriter.FileName(form, request));
        try
        {
            File.WriteAllBytes(path, SubmissionTemplateWriter.Write(form, request));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"无法写入 {path}：{ex.Message}");
            return ExitCodes.BadInput;
        }

        stdout.WriteLine($"报表模板 template: {path}（{form.Id}，{reportYear} 年度{(unitCode is null ? "，单位未指定" : $"，单位 {unitCode}")}）");
        return ExitCodes.Ok;
    }

    // Reports are written early in the next year, so the default is last year, within the years the form covers.
    private static int DefaultYear(FormDefinition form)
    {
        var lastYear = DateTime.UtcNow.Year - 1;
        return form.ValidYears.To is { } to && lastYear > to ? to
            : form.ValidYears.From is { } from && lastYear < from ? from
            : lastYear;
    }

    private static string Years(YearRange years) =>
        $"{(years.From is { } from ? from.ToString(CultureInfo.InvariantCulture) : "")}–{(years.To is { } to ? to.ToString(CultureInfo.InvariantCulture) : "")}";
}

using System.CommandLine;
using System.Globalization;
using Aggregator.Core.Rules;
using Aggregator.Import;
using Spectre.Console;
using Spectre.Console.Rendering;
using ValidationResult = Aggregator.Core.Rules.ValidationResult;

namespace Aggregator.Cli.Commands;

/// <summary>
/// <c>aggregator import FILE.docx [--out FILE.json]</c>: reads a department's Word annual report and shows what was
/// read (printed label, cell id, value, doubt) and the verdict, so the department can check it before submitting;
/// with <c>--out</c> it writes the submission JSON that <c>validate</c> and the API take.
/// </summary>
public static class ImportCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "单位的政府信息公开工作年度报告（Word .docx）" };
        var output = new Option<FileInfo?>("--out") { Description = "写出提交文件（JSON）的路径" };
        var format = new Option<string?>("--format") { Description = "表式（stat_pre2019、fmt_2019、fmt_2021）；默认按标题中的年度" };
        var year = new Option<int?>("--year") { Description = "报告年度；默认取标题中的年度" };
        var unitName = new Option<string?>("--unit") { Description = "单位名称；默认取标题中的单位" };
        var unitCode = new Option<string?>("--unit-code") { Description = "单位代码（写入提交文件）" };
        var all = new Option<bool>("--all") { Description = "也列出空白单元格" };
        var command = new Command("import", "读取单位的 Word 年度报告，列出读到的数值供核对，可写出提交文件")
        {
            file, output, format, year, unitName, unitCode, all,
        };
        command.SetAction(parsed => Run(
            new ImportRequest(
                parsed.GetValue(file)!,
                parsed.GetValue(output),
                parsed.GetValue(format),
                parsed.GetValue(year),
                parsed.GetValue(unitName),
                parsed.GetValue(unitCode),
                parsed.GetValue(all)),
            parsed.InvocationConfiguration.Output,
            parsed.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(ImportRequest request, TextWriter output, TextWriter error)
    {
        WordReport report;
        try
        {
            using var stream = request.File.OpenRead();
            report = WordReportReader.Default.Read(stream, request.FormatId, request.Year);
        }
        catch (Exception ex) when (ex is WordReportException or IOException or UnauthorizedAccessException or KeyNotFoundException)
        {
            error.WriteLine($"{request.File}: {ex.Message}");
            return ExitCodes.BadInput;
        }

        var document = report.ToSubmission(request.UnitName, request.UnitCode);
        var verdict = SubmissionValidator.Default.Validate(document);
        Write(report, document.UnitName, verdict, request.All, output);
        if (request.Output is { } target)
        {
            File.WriteAllText(target.FullName, document.ToJson() + "\n");
            output.WriteLine($"已写出提交文件：{target}（请核对上表，尤其是标“存疑”的单元格，确认无误后再提交）");
        }

        return verdict.Outcome == ValidationOutcome.Rejected ? ExitCodes.Rejected : ExitCodes.Ok;
    }

    private static void Write(WordReport report, string unitName, ValidationResult verdict, bool all, TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 160;
        var filled = report.Cells.Count(c => c.Text.Trim().Length > 0);
        console.Write(new Text($"报告：{report.Title}\n单位：{unitName}（{report.Year} 年度，表式 {report.Form.Id}）\n"));
        console.Write(new Text($"读到 {report.Cells.Count} 个单元格，其中 {filled} 个已填写，{report.UnsureCount} 个存疑，表中未找到 {report.Missing.Count} 个\n"));
        var table = new Table().AddColumn(new TableColumn("表中标注").NoWrap()).AddColumn(new TableColumn("单元格").NoWrap()).AddColumn(new TableColumn("数值").RightAligned()).AddColumn("存疑");
        foreach (var cell in report.Cells.Where(c => all || !c.IsSure || c.Text.Trim().Length > 0))
        {
            table.AddRow(new IRenderable[]
            {
                new Text(cell.PrintedLabel),
                new Text(cell.Cell.Id),
                new Text(cell.Value?.ToString(CultureInfo.InvariantCulture) ?? (cell.Text.Trim().Length == 0 ? "（空白）" : $"“{cell.Text.Trim()}”")),
                new Text(cell.Doubt is null ? "" : "存疑：" + cell.Doubt),
            });
        }

        console.Write(table);
        if (report.Missing.Count > 0)
        {
            console.Write(new Text($"表中未找到：{string.Join("、", report.Missing.Take(20).Select(c => c.Label))}{(report.Missing.Count > 20 ? " 等" : "")}\n"));
        }

        var errors = verdict.Violations.Count(v => v.Severity == Severity.Error);
        var warnings = verdict.Violations.Count - errors + report.NarrativeFindings.Count;
        console.Write(new Text($"结论：{OutcomeText(verdict.Outcome, report.NarrativeFindings.Count)}（错误 {errors} 项，警告 {warnings} 项）\n"));
        if (verdict.Violations.Count > 0 || report.NarrativeFindings.Count > 0)
        {
            var violations = new Table().AddColumn("规则").AddColumn("级别").AddColumn("说明");
            foreach (var violation in verdict.Violations)
            {
                violations.AddRow(violation.RuleId, violation.Severity == Severity.Error ? "错误" : "警告", violation.Message);
            }

            foreach (var finding in report.NarrativeFindings)
            {
                violations.AddRow(finding.Rule, "警告", finding.Message);
            }

            console.Write(violations);
        }
    }

    private static string OutcomeText(ValidationOutcome outcome, int narrativeWarnings) => outcome switch
    {
        ValidationOutcome.Accepted when narrativeWarnings == 0 => "通过",
        ValidationOutcome.Accepted or ValidationOutcome.AcceptedWithWarnings => "通过（有警告）",
        _ => "不通过",
    };

    private sealed record ImportRequest(
        FileInfo File, FileInfo? Output, string? FormatId, int? Year, string? UnitName, string? UnitCode, bool All);
}

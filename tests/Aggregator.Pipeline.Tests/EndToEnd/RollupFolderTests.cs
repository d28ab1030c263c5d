using System.Diagnostics;
using System.Text.Json.Nodes;
using Aggregator.Cli;
using Aggregator.Cli.Demo;
using Aggregator.Pipeline.Tests.Support;

namespace Aggregator.Pipeline.Tests.EndToEnd;

/// <summary><c>aggregator rollup FOLDER</c>: expected units, unreadable files, mixed years, many units, failures that speak.</summary>
public sealed class RollupFolderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<DirectoryInfo> WriteFolderAsync(DistrictScenario scenario)
    {
        var folder = Directory.CreateTempSubdirectory("aggregator-rollup-in-");
        foreach (var submission in scenario.Submissions)
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, submission.Unit.Code + ".json"), submission.Document.ToJson(), Ct);
        }

        return folder;
    }

    private static string NewOutput() => Path.Combine(Path.GetTempPath(), $"aggregator-rollup-out-{Guid.NewGuid():N}");

    private static async Task<JsonNode> ReadRollupJsonAsync(string output) =>
        JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "rollup.json"), Ct))!;

    private static IEnumerable<string> Codes(JsonNode rollup, string list) =>
        rollup[list]!.AsArray().Select(u => u!["unit_code"]!.GetValue<string>());

    [Fact]
    public async Task The_demo_writes_a_units_file_with_which_the_folder_rollup_lists_the_township_that_did_not_submit()
    {
        var directory = Directory.CreateTempSubdirectory("aggregator-demo-");
        Assert.Equal(ExitCodes.Ok, await Program.RunAsync(["demo", "--dir", directory.FullName], TextWriter.Null, TextWriter.Null, Ct));
        var output = NewOutput();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await Program.RunAsync(
            ["rollup", Path.Combine(directory.FullName, "submissions"), "--units", Path.Combine(directory.FullName, "units.csv"), "--out", output, "--name", "青岚区"],
            stdout, stderr, Ct);

        Assert.True(exit == ExitCodes.Ok, stderr.ToString());
        var rollup = await ReadRollupJsonAsync(output);
        var missing = Assert.Single(rollup["missing"]!.AsArray())!;
        Assert.Equal(("QL-MLX", "梅岭乡"), (missing["unit_code"]!.GetValue<string>(), missing["unit"]!.GetValue<string>()));
        Assert.Contains("未报送 missing: 梅岭乡 (QL-MLX)", stdout.ToString(), StringComparison.Ordinal);
        // The internal edition names the missing township; the public one, what gets published, names no unit.
        Assert.Contains("梅岭乡", await File.ReadAllTextAsync(Path.Combine(output, "report-internal.html"), Ct), StringComparison.Ordinal);
        Assert.DoesNotContain("梅岭乡", await File.ReadAllTextAsync(Path.Combine(output, "report.html"), Ct), StringComparison.Ordinal);
        using (var word = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(Path.Combine(output, "report-internal.docx"), false))
        {
            Assert.StartsWith("青岚区", word.MainDocumentPart!.Document!.Body!.InnerText, StringComparison.Ordinal);
            Assert.Contains("梅岭乡", word.MainDocumentPart.Document.Body.InnerText, StringComparison.Ordinal);
        }

        using (var workbook = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(Path.Combine(output, "report-internal.xlsx"), false))
        {
            Assert.Contains(workbook.WorkbookPart!.Workbook!.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>(), s => s.Name == "报送情况");
        }

        using (var workbook = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(Path.Combine(output, "report.xlsx"), false))
        {
            Assert.DoesNotContain(workbook.WorkbookPart!.Workbook!.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>(), s => s.Name == "报送情况");
        }

        Assert.Contains("report.docx", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("report.xlsx", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_units_file_the_folder_rollup_cannot_know_who_is_missing()
    {
        var scenario = DistrictScenario.Create(unitCount: 4, seed: 3, withMistakes: false, missing: 1);
        var folder = await WriteFolderAsync(scenario);
        var output = NewOutput();

        Assert.Equal(ExitCodes.Ok, await Program.RunAsync(["rollup", folder.FullName, "--out", output], TextWriter.Null, TextWriter.Null, Ct));

        Assert.Empty((await ReadRollupJsonAsync(output))["missing"]!.AsArray());
    }

    [Fact]
    public async Task With_units_under_two_districts_rollup_json_gives_each_districts_subtree_sums_as_children()
    {
        var scenario = DistrictScenario.Create(unitCount: 6, seed: 5, withMistakes: false, missing: 0);
        var folder = await WriteFolderAsync(scenario);
        var unitsFile = Path.Combine(folder.FullName, "..", $"units-{Guid.NewGuid():N}.csv");
        var lines = new List<string> { "code,name,kind,parent", "T-A,甲区,district,", "T-B,乙区,district," };
        lines.AddRange(scenario.Units.Select((u, i) => $"{u.Code},{u.Name},{u.Kind},{(i < 2 ? "T-A" : "T-B")}"));
        await File.WriteAllLinesAsync(unitsFile, lines, Ct);
        var output = NewOutput();

        var exit = await Program.RunAsync(["rollup", folder.FullName, "--units", unitsFile, "--out", output, "--name", "测试市"], TextWriter.Null, TextWriter.Null, Ct);

        Assert.Equal(ExitCodes.Ok, exit);
        var rollup = await ReadRollupJsonAsync(output);
        Assert.Empty(rollup["missing"]!.AsArray());
        var children = rollup["children"]!.AsArray();
        Assert.Equal(["T-A", "T-B"], children.Select(c => c!["unit_code"]!.GetValue<string>()));
        Assert.Equal([2, scenario.Units.Count - 2], children.Select(c => c!["units"]!.GetValue<int>()));
        Assert.All(children, c => Assert.Null(c!["version"]));
        foreach (var (cell, value) in rollup["values"]!.AsObject())
        {
            var parts = children.Sum(c => c!["values"]![cell]?.GetValue<decimal>() ?? 0m);
            Assert.True(value!.GetValue<decimal>() == parts, $"{cell}: {value} against {parts}");
        }

        Assert.Contains("下辖 2 个单位", await File.ReadAllTextAsync(Path.Combine(output, "report-internal.md"), Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_units_file_in_json_names_the_missing_units_and_a_file_of_an_unlisted_unit_is_skipped()
    {
        var scenario = DistrictScenario.Create(unitCount: 4, seed: 4, withMistakes: false, missing: 1);
        var folder = await WriteFolderAsync(scenario);
        var listed = scenario.Units.Skip(1).ToList();
        var unitsFile = Path.Combine(folder.FullName, "..", $"units-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(unitsFile, new JsonArray([.. listed.Select(u => (JsonNode)new JsonObject
        {
            ["code"] = u.Code, ["name"] = u.Name, ["kind"] = u.Kind, ["parent"] = "",
        })]).ToJsonString(), Ct);
        var output = NewOutput();

        var exit = await Program.RunAsync(["rollup", folder.FullName, "--units", unitsFile, "--out", output], TextWriter.Null, TextWriter.Null, Ct);

        Assert.Equal(ExitCodes.Ok, exit);
        var rollup = await ReadRollupJsonAsync(output);
        Assert.Equal(scenario.MissingUnits.Select(u => u.Code).Where(c => c != scenario.Units[0].Code), Codes(rollup, "missing"));
        if (scenario.Submissions.Any(s => s.Unit.Code == scenario.Units[0].Code))
        {
            var skipped = Assert.Single(rollup["skipped"]!.AsArray())!;
            Assert.Equal(scenario.Units[0].Code, skipped["unit_code"]!.GetValue<string>());
            Assert.Contains("不在单位清单", skipped["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("code,name,kind,parent\nA1,甲,planet,\n", "第 2 行")]
    [InlineData("code,name\nA1,甲\nA1,乙\n", "重复")]
    [InlineData("name,parent\n甲,\n", "表头")]
    public async Task A_units_file_that_is_wrong_is_refused_with_exit_code_2_naming_the_line(string csv, string expected)
    {
        var scenario = DistrictScenario.Create(unitCount: 2, seed: 5, withMistakes: false, missing: 0);
        var folder = await WriteFolderAsync(scenario);
        var unitsFile = Path.Combine(Path.GetTempPath(), $"units-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(unitsFile, csv, Ct);
        using var stderr = new StringWriter();

        var exit = await Program.RunAsync(["rollup", folder.FullName, "--units", unitsFile, "--out", NewOutput()], TextWriter.Null, stderr, Ct);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains(expected, stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_cannot_be_read_is_listed_as_rejected_with_its_reason_and_the_rollup_goes_on()
    {
        var scenario = DistrictScenario.Create(unitCount: 3, seed: 6, withMistakes: false, missing: 0);
        var folder = await WriteFolderAsync(scenario);
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "QL-BAD.json"), "{ not json", Ct);
        var output = NewOutput();
        using var stdout = new StringWriter();

        var exit = await Program.RunAsync(["rollup", folder.FullName, "--out", output], stdout, TextWriter.Null, Ct);

        Assert.Equal(ExitCodes.Ok, exit);
        var rollup = await ReadRollupJsonAsync(output);
        var rejected = Assert.Single(rollup["rejected"]!.AsArray())!;
        Assert.Equal(("QL-BAD", "QL-BAD.json"), (rejected["unit_code"]!.GetValue<string>(), rejected["file"]!.GetValue<string>()));
        Assert.Equal(["FILE-UNREADABLE"], rejected["rules"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.False(string.IsNullOrWhiteSpace(rejected["reason"]!.GetValue<string>()));
        Assert.Equal(scenario.Submissions.Select(s => s.Unit.Code).Order(StringComparer.Ordinal), Codes(rollup, "included").Order(StringComparer.Ordinal));
        Assert.Contains("QL-BAD.json", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("未通过 rejected: 1", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mixed_years_say_which_year_to_pick_and_year_picks_those_files_listing_the_others_as_skipped()
    {
        var scenario = DistrictScenario.Create(unitCount: 3, seed: 7, withMistakes: false, missing: 0);
        var folder = await WriteFolderAsync(scenario);
        var other = scenario.Submissions[0].Document with { Year = 2020, UnitCode = "QL-2020" };
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "QL-2020.json"), other.ToJson(), Ct);
        using var hint = new StringWriter();

        Assert.Equal(ExitCodes.BadInput, await Program.RunAsync(["rollup", folder.FullName, "--out", NewOutput()], TextWriter.Null, hint, Ct));
        Assert.Contains("--year 2019", hint.ToString(), StringComparison.Ordinal);

        var output = NewOutput();
        var exit = await Program.RunAsync(["rollup", folder.FullName, "--year", "2019", "--out", output], TextWriter.Null, TextWriter.Null, Ct);

        Assert.Equal(ExitCodes.Ok, exit);
        var rollup = await ReadRollupJsonAsync(output);
        Assert.Equal(2019, rollup["year"]!.GetValue<int>());
        var skipped = Assert.Single(rollup["skipped"]!.AsArray())!;
        Assert.Equal("QL-2020.json", skipped["file"]!.GetValue<string>());
        Assert.Contains("2020", skipped["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(scenario.Submissions.Select(s => s.Unit.Code).Order(StringComparer.Ordinal), Codes(rollup, "included").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_thousand_generated_units_roll_up_to_the_exact_sums_of_their_values()
    {
        var scenario = DistrictScenario.Create(unitCount: 1_000, seed: 1000, withMistakes: true, missing: 5);
        var expected = new ScenarioExpectations(scenario);
        var folder = await WriteFolderAsync(scenario);
        var output = NewOutput();
        using var stderr = new StringWriter();

        var exit = await Program.RunAsync(["rollup", folder.FullName, "--out", output, "--name", "大区"], TextWriter.Null, stderr, Ct);

        Assert.True(exit == ExitCodes.Ok, stderr.ToString());
        var rollup = await ReadRollupJsonAsync(output);
        expected.AssertValues(rollup["values"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<decimal>()));
        Assert.Equal(expected.Included, Codes(rollup, "included").Order(StringComparer.Ordinal));
        expected.AssertRejected(rollup["rejected"]!.AsArray().ToDictionary(
            u => u!["unit_code"]!.GetValue<string>(),
            u => (IReadOnlyList<string>)[.. u!["rules"]!.AsArray().Select(r => r!.GetValue<string>())]));
        var html = await File.ReadAllTextAsync(Path.Combine(output, "report-internal.html"), Ct);
        Assert.Contains(scenario.Submissions[^1].Unit.Name, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_that_fails_to_render_fails_the_rollup_and_the_command_exits_with_the_reason_in_seconds()
    {
        var scenario = DistrictScenario.Create(unitCount: 3, seed: 8, withMistakes: false, missing: 0);
        var folder = await WriteFolderAsync(scenario);
        var templates = Directory.CreateTempSubdirectory("aggregator-templates-");
        Directory.CreateDirectory(Path.Combine(templates.FullName, "html", "partials"));
        await File.WriteAllTextAsync(Path.Combine(templates.FullName, "html", "partials", "annexes.sbn-html"), "{{ no_such_variable }}", Ct);
        using var stderr = new StringWriter();
        var clock = Stopwatch.StartNew();

        var output = NewOutput();
        var exit = await Program.RunAsync(["rollup", folder.FullName, "--templates", templates.FullName, "--out", output], TextWriter.Null, stderr, Ct);

        clock.Stop();
        Assert.False(Directory.Exists(output) && Directory.EnumerateFiles(output).Any(), "a failed rollup left files in its output folder");
        Assert.Equal(ExitCodes.Failed, exit);
        Assert.Contains("汇总失败", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("report_render_failed", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("annexes.sbn-html", stderr.ToString(), StringComparison.Ordinal);
        // The whole run, start-up included, bounds the time from the failure to the exit.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"The command took {clock.Elapsed} to report the failure.");
    }

    private const string OfficeText = """
        编制单位：青岚区人民政府办公室
        发布日期：2020年1月20日
        联系方式：联系电话：0571-88880000

        # 一、总体情况
        2019年，青岚区政务公开工作稳步推进。
        ## 主动公开
        各单位通过政府门户网站主动公开政府信息。
        # 五、存在的主要问题及改进情况
        部分单位信息更新不够及时。
        # 六、其他需要报告的事项
        无。
        """;

    [Fact]
    public async Task With_the_office_text_Word_and_Excel_hold_it_and_the_figures_of_rollup_json_and_the_public_edition_no_validation_message()
    {
        var scenario = DistrictScenario.Standard();
        var folder = await WriteFolderAsync(scenario);
        var text = Path.Combine(folder.FullName, "office.md");
        await File.WriteAllTextAsync(text, OfficeText, Ct);
        var output = NewOutput();
        using var stderr = new StringWriter();

        var exit = await Program.RunAsync(["rollup", folder.FullName, "--out", output, "--name", "青岚区", "--text", text], TextWriter.Null, stderr, Ct);

        Assert.True(exit == ExitCodes.Ok, stderr.ToString());
        var rollup = await ReadRollupJsonAsync(output);
        var rejected = rollup["rejected"]!.AsArray();
        Assert.NotEmpty(rejected);
        string[] files = ["report.html", "report.md", "report.docx", "report.xlsx", "report-internal.html", "report-internal.md", "report-internal.docx", "report-internal.xlsx", "rollup.json"];
        Assert.All(files, f => Assert.True(File.Exists(Path.Combine(output, f)), f));

        string WordText(string name)
        {
            using var word = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(Path.Combine(output, name), false);
            return string.Join("\n", word.MainDocumentPart!.Document!.Body!.Elements<DocumentFormat.OpenXml.Wordprocessing.Paragraph>().Select(p => p.InnerText));
        }

        var publicWord = WordText("report.docx");
        Assert.Contains("2019年，青岚区政务公开工作稳步推进。", publicWord, StringComparison.Ordinal);
        Assert.Contains("（一）主动公开\n各单位通过政府门户网站主动公开政府信息。", publicWord, StringComparison.Ordinal);
        Assert.EndsWith("联系电话：0571-88880000\n青岚区人民政府办公室\n2020年1月20日", publicWord.TrimEnd('\n'), StringComparison.Ordinal);

        // The public edition, in every output, quotes no broken rule and names no rejected unit; the internal one does.
        var publicTexts = new[] { await File.ReadAllTextAsync(Path.Combine(output, "report.html"), Ct), await File.ReadAllTextAsync(Path.Combine(output, "report.md"), Ct), publicWord, WorkbookText(Path.Combine(output, "report.xlsx")) };
        var internalWord = WordText("report-internal.docx");
        foreach (var unit in rejected)
        {
            var rules = unit!["rules"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();
            Assert.All(publicTexts, t => Assert.DoesNotContain(unit["unit"]!.GetValue<string>(), t, StringComparison.Ordinal));
            Assert.All(publicTexts, t => Assert.All(rules, r => Assert.DoesNotContain(r, t, StringComparison.Ordinal)));
            Assert.Contains(unit["unit"]!.GetValue<string>(), internalWord, StringComparison.Ordinal);
            Assert.All(rules, r => Assert.Contains(r, internalWord, StringComparison.Ordinal));
        }

        // Every figure of the workbook's national tables is the value rollup.json gives its cell (blank as 0).
        var values = rollup["values"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<decimal>());
        var form = Aggregator.Core.Forms.FormCatalog.Default.Get(rollup["format_id"]!.GetValue<string>());
        var expected = form.Cells.Select(c => values.GetValueOrDefault(c.Id)).Order().ToList();
        Assert.Equal(expected, NationalTableNumbers(Path.Combine(output, "report.xlsx")).Order().ToList());
    }

    [Fact]
    public async Task An_unknown_heading_in_the_office_text_is_refused_with_its_line_before_anything_runs()
    {
        var scenario = DistrictScenario.Create(unitCount: 2, seed: 2, withMistakes: false, missing: 0);
        var folder = await WriteFolderAsync(scenario);
        var text = Path.Combine(folder.FullName, "office.md");
        await File.WriteAllTextAsync(text, "# 一、总体情况\n文字\n# 七、附则\n", Ct);
        using var stderr = new StringWriter();
        var output = NewOutput();

        var exit = await Program.RunAsync(["rollup", folder.FullName, "--out", output, "--text", text], TextWriter.Null, stderr, Ct);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("office.md 第 3 行：未知的标题“# 七、附则”", stderr.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    private static string WorkbookText(string path)
    {
        using var workbook = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(path, false);
        return string.Join("\n", workbook.WorkbookPart!.WorksheetParts.SelectMany(p => p.Worksheet!.Descendants<DocumentFormat.OpenXml.Spreadsheet.Cell>())
            .Select(c => c.InlineString?.InnerText ?? c.CellValue?.Text ?? string.Empty));
    }

    // The numbers of every sheet but the office's text: with the public edition, those are the national tables.
    private static List<decimal> NationalTableNumbers(string path)
    {
        using var workbook = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(path, false);
        var part = workbook.WorkbookPart!;
        return [.. part.Workbook!.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>()
            .Where(s => s.Name != "报告正文")
            .SelectMany(s => ((DocumentFormat.OpenXml.Packaging.WorksheetPart)part.GetPartById(s.Id!)).Worksheet!.Descendants<DocumentFormat.OpenXml.Spreadsheet.Cell>())
            .Where(c => (c.DataType is null || c.DataType.Value == DocumentFormat.OpenXml.Spreadsheet.CellValues.Number) && c.CellValue is not null)
            .Select(c => decimal.Parse(c.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture))];
    }
}

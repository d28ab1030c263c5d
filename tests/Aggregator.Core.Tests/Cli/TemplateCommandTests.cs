using System.Globalization;
using System.Text.Json;
using Aggregator.Cli;
using Aggregator.Core.Tests.Support;
using Aggregator.Core.Values;
using Aggregator.Reporting.Workbooks;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Aggregator.Core.Tests.Cli;

/// <summary><c>aggregator template</c>, and <c>validate</c> and <c>rollup</c> reading the filled-in workbook.</summary>
public sealed class TemplateCommandTests
{
    [Fact]
    public void Writes_the_template_of_a_form_year_and_unit()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "t.xlsx");

        var (code, output, error) = Run("template", "--form", "fmt_2021", "--year", "2023", "--unit", "QL-FGJ", "--unit-name", "区发展和改革局", "--out", path);

        Assert.Equal((0, ""), (code, error));
        Assert.Contains(path, output, StringComparison.Ordinal);
        var read = SubmissionWorkbookReader.Read(File.ReadAllBytes(path)).Document!;
        Assert.Equal(("fmt_2021", 2023, "QL-FGJ", "区发展和改革局"), (read.FormatId, read.Year, read.UnitCode, read.UnitName));
    }

    [Theory]
    [InlineData("fmt_2019", "2021", "不用于 2021 年度")]
    [InlineData("fmt_2030", "2031", "未知的表式")]
    public void Refuses_a_form_it_does_not_know_or_a_year_the_form_is_not_used_for(string form, string year, string message)
    {
        using var folder = new TemporaryFolder();

        var (code, _, error) = Run("template", "--form", form, "--year", year, "--out", Path.Combine(folder.Path, "t.xlsx"));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Theory]
    [InlineData(Seeds.Seed000)]
    [InlineData(Seeds.Seed001)]
    [InlineData(Seeds.Seed002)]
    [InlineData(Seeds.Seed004)]
    public void Validate_gives_a_filled_in_workbook_the_verdict_of_its_json(string seed)
    {
        using var folder = new TemporaryFolder();
        var workbook = FilledTemplate(folder, seed, "QL-TEST");

        var json = Run("validate", "--json", DomainDirectory.File(seed));
        var xlsx = Run("validate", "--json", workbook);

        Assert.Equal(json.Code, xlsx.Code);
        Assert.Equal(Verdict(json.Output), Verdict(xlsx.Output));
    }

    [Fact]
    public void Validate_lists_a_file_that_is_no_template_as_unreadable_with_its_rule()
    {
        using var folder = new TemporaryFolder();
        var path = folder.Write("not-a-workbook.xlsx", "format_id,year");

        var (code, output, _) = Run("validate", "--json", path);

        Assert.Equal(ExitCodes.BadInput, code);
        var file = JsonDocument.Parse(output).RootElement[0];
        Assert.Equal("unreadable", file.GetProperty("outcome").GetString());
        Assert.Equal("WORKBOOK-UNREADABLE", file.GetProperty("problems")[0].GetProperty("rule").GetString());
    }

    [Fact]
    public async Task Rollup_reads_workbooks_beside_json_files_and_lists_each_outcome()
    {
        using var input = new TemporaryFolder();
        using var output = new TemporaryFolder();
        File.Copy(DomainDirectory.File(Seeds.Seed002), Path.Combine(input.Path, "DTQ.json"));
        FilledTemplate(input, Seeds.Seed004, "NBJGSW");
        var broken = Path.Combine(input.Path, "BROKEN.xlsx");
        await File.WriteAllTextAsync(broken, "not a workbook", TestContext.Current.CancellationToken);

        using var error = new StringWriter();
        var code = await Program.RunAsync(["rollup", input.Path, "--out", output.Path], TextWriter.Null, error, TestContext.Current.CancellationToken);

        Assert.True(code == ExitCodes.Ok, error.ToString());
        using var rollup = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output.Path, "rollup.json"), TestContext.Current.CancellationToken));
        var included = rollup.RootElement.GetProperty("included").EnumerateArray().Select(u => u.GetProperty("unit_code").GetString()).Order(StringComparer.Ordinal);
        Assert.Equal(["DTQ", "NBJGSW"], included);
        var rejected = rollup.RootElement.GetProperty("rejected").EnumerateArray().Single();
        Assert.Equal("BROKEN", rejected.GetProperty("unit_code").GetString());
        Assert.Contains("WORKBOOK-UNREADABLE", rejected.GetRawText(), StringComparison.Ordinal);
    }

    /// <summary>The seed's values typed into a template the CLI wrote, saved as <c>UNIT.xlsx</c>.</summary>
    private static string FilledTemplate(TemporaryFolder folder, string seed, string unitCode)
    {
        var document = SubmissionDocument.Parse(DomainDirectory.Read(seed));
        var path = Path.Combine(folder.Path, unitCode + ".xlsx");
        var (code, _, error) = Run("template", "--form", document.FormatId, "--year", document.Year.ToString(CultureInfo.InvariantCulture),
            "--unit", unitCode, "--unit-name", document.UnitName, "--out", path);
        Assert.True(code == 0, error);
        using var spreadsheet = SpreadsheetDocument.Open(path, true);
        var workbook = spreadsheet.WorkbookPart!;
        foreach (var (cellId, value) in document.Values)
        {
            var target = workbook.Workbook.DefinedNames!.Elements<DefinedName>().Single(n => n.Name == TemplateLayout.CellNamePrefix + cellId).Text;
            var bang = target.LastIndexOf('!');
            var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == target[..bang].Trim('\''));
            var reference = target[(bang + 1)..].Replace("$", "", StringComparison.Ordinal);
            var cell = ((WorksheetPart)workbook.GetPartById(sheet.Id!.Value!)).Worksheet.Descendants<Cell>().Single(c => c.CellReference == reference);
            cell.CellValue = new CellValue(value.Number!.Value.ToString(CultureInfo.InvariantCulture));
        }

        return path;
    }

    private static string Verdict(string output)
    {
        var file = JsonDocument.Parse(output).RootElement[0];
        return file.GetProperty("outcome").GetString() + ": " + string.Join(" | ", file.GetProperty("violations").EnumerateArray()
            .Select(v => $"{v.GetProperty("rule").GetString()} {v.GetProperty("message").GetString()}"));
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = Program.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}

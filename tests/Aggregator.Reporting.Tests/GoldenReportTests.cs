using Aggregator.Reporting.Tests.Support;

namespace Aggregator.Reporting.Tests;

/// <summary>
/// Every output of every national format, in both editions, with the office's text (tests/TestData/reports/office.md),
/// compared with its golden file. <c>AGGREGATOR_UPDATE_GOLDEN=1</c> writes the current outputs as the new goldens.
/// </summary>
public sealed class GoldenReportTests
{
    private static readonly ReportRenderer Renderer = ReportRenderer.CreateDefault();

    public static TheoryData<string, int, string> Cases()
    {
        var data = new TheoryData<string, int, string>();
        foreach (var (format, year) in new[] { ("stat_pre2019", 2018), ("fmt_2019", 2019), ("fmt_2021", 2021) })
        {
            foreach (var edition in new[] { "public", "internal" })
            {
                data.Add(format, year, edition);
            }
        }

        return data;
    }

    /// <summary>Five units summed, one missing, one rejected; the office's text applied; received times against a due date.</summary>
    public static ReportInput Input(string formatId, int year, ReportEdition edition)
    {
        var district = ReportInputs.District(formatId, year, unitCount: 5, missing: 1, rejected: 1);
        var text = ReportTextMarkdown.Parse(File.ReadAllText(Path.Combine(GoldenFiles.TestDataFolder, "office.md")), "office.md");
        var received = new DateTimeOffset(year + 1, 1, 15, 10, 0, 0, TimeSpan.FromHours(8));
        return (district with
        {
            Edition = edition,
            DueDate = new DateOnly(year + 1, 1, 31),
            IncludedUnits = [.. district.IncludedUnits.Select((u, i) => u with { SubmittedAt = received.AddDays(i * 5) })],
            RejectedUnits = [.. district.RejectedUnits.Select(u => u with { SubmittedAt = received.AddDays(20) })],
        }).WithText(text);
    }

    private static ReportEdition Edition(string name) => name == "internal" ? ReportEdition.Internal : ReportEdition.Public;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Html_matches_its_golden_file(string formatId, int year, string edition) =>
        GoldenFiles.Verify($"{formatId}/{edition}.html", Renderer.Render(Input(formatId, year, Edition(edition)), ReportOutputFormat.Html));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Markdown_matches_its_golden_file(string formatId, int year, string edition) =>
        GoldenFiles.Verify($"{formatId}/{edition}.md", Renderer.Render(Input(formatId, year, Edition(edition)), ReportOutputFormat.Markdown));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Word_text_matches_its_golden_file(string formatId, int year, string edition) =>
        GoldenFiles.Verify($"{formatId}/{edition}.docx.txt", GoldenFiles.DocxText(Renderer.RenderFile(Input(formatId, year, Edition(edition)), ReportOutputFormat.Docx)));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Workbook_cells_match_their_golden_file(string formatId, int year, string edition) =>
        GoldenFiles.Verify($"{formatId}/{edition}.xlsx.txt", GoldenFiles.XlsxText(Renderer.RenderFile(Input(formatId, year, Edition(edition)), ReportOutputFormat.Xlsx)));
}

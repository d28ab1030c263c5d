using System.Diagnostics;
using System.Globalization;
using Aggregator.Core.Forms;
using Aggregator.Reporting.Model;
using Aggregator.Reporting.Tests.Support;

namespace Aggregator.Reporting.Tests;

/// <summary>The annexes of a report over many direct children: bounded in size, rendered in linear time.</summary>
public sealed class AnnexScaleTests
{
    private static readonly FormDefinition Form = FormCatalog.Default.Get("fmt_2019");

    /// <summary><paramref name="units"/> units, each with every cell filled (1 to 7, by unit), and their exact sums.</summary>
    private static ReportInput ManyUnits(int units)
    {
        var cells = Form.Cells.Where(c => !c.IsHeading).Select(c => c.Id).ToList();
        var included = new List<IncludedUnit>(units);
        for (var i = 0; i < units; i++)
        {
            var value = (decimal)((i % 7) + 1);
            included.Add(new IncludedUnit($"U{i:00000}", $"第{i + 1}单位", 1, cells.ToDictionary(c => c, _ => (decimal?)value, StringComparer.Ordinal)));
        }

        var total = Enumerable.Range(0, units).Sum(i => (decimal)((i % 7) + 1));
        return new ReportInput
        {
            FormatId = Form.Id,
            Year = 2019,
            UnitName = "测试市",
            GeneratedAt = ReportInputs.GeneratedAt,
            Edition = ReportEdition.Internal,
            Values = cells.ToDictionary(c => c, _ => (decimal?)total, StringComparer.Ordinal),
            IncludedUnits = included,
        };
    }

    [Fact]
    public void A_report_over_a_thousand_units_renders_in_both_formats()
    {
        var input = ManyUnits(1_000);
        var renderer = ReportRenderer.CreateDefault();

        var html = renderer.Render(input, ReportOutputFormat.Html);
        var markdown = renderer.Render(input, ReportOutputFormat.Markdown);

        Assert.Contains("第1000单位", html, StringComparison.Ordinal);
        Assert.Contains("其余990个单位合计", html, StringComparison.Ordinal);
        Assert.Contains("其余990个单位合计", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_summed_cell_names_at_most_ten_units_and_the_sum_of_the_others_so_that_it_still_adds_up()
    {
        var input = ManyUnits(1_000);

        var breakdown = ReportModelBuilder.Default.Build(input).Breakdown;

        Assert.Equal(Form.Cells.Count(c => !c.IsHeading), breakdown.Sources.Count);
        Assert.All(breakdown.Sources, source =>
        {
            Assert.Equal(1_000, source.ContributorCount);
            Assert.Equal(CellSource.MaxListed, source.Contributions.Count);
            Assert.Equal(990, source.OthersCount);
            // The largest values (7) come first, earlier units ahead on a tie.
            Assert.Equal(["U00006", "U00013", "U00020"], source.Contributions.Take(3).Select(c => c.Code));
            var listed = source.Contributions.Sum(c => Number(c.Value));
            Assert.Equal(Number(source.Total), listed + Number(source.OthersSum));
        });
    }

    [Fact]
    public void A_report_over_ten_thousand_units_renders_in_time_and_size_linear_in_the_units()
    {
        var small = ManyUnits(1_000);
        var large = ManyUnits(10_000);
        var renderer = ReportRenderer.CreateDefault();
        renderer.Render(small, ReportOutputFormat.Html);
        renderer.Render(small, ReportOutputFormat.Markdown);

        var clock = Stopwatch.StartNew();
        var smallHtml = renderer.Render(small, ReportOutputFormat.Html);
        renderer.Render(small, ReportOutputFormat.Markdown);
        var smallTime = clock.Elapsed;
        clock.Restart();
        var largeHtml = renderer.Render(large, ReportOutputFormat.Html);
        var largeMarkdown = renderer.Render(large, ReportOutputFormat.Markdown);
        var largeTime = clock.Elapsed;

        Assert.Contains("第10000单位", largeHtml, StringComparison.Ordinal);
        Assert.Contains("第10000单位", largeMarkdown, StringComparison.Ordinal);
        // Measured against the small run on the same machine, since a loaded machine makes any fixed limit a lottery:
        // linear work takes about 10 times as long, work quadratic in the units about 100 times.
        var slowdown = largeTime / smallTime;
        Assert.True(slowdown < 35, $"Rendering 10 times the units took {slowdown:0.0} times as long ({smallTime} → {largeTime}).");
        Assert.True(largeTime < TimeSpan.FromMinutes(3), $"Rendering 10,000 units took {largeTime}.");
        // Ten times the units, about ten times the text: the annexes hold a row per unit, not a cell per unit and cell.
        var growth = (double)largeHtml.Length / smallHtml.Length;
        Assert.True(growth < 11, $"The HTML grew {growth:0.0} times for 10 times the units ({smallHtml.Length} → {largeHtml.Length} characters; {smallTime} → {largeTime}).");
    }

    [Fact]
    public void The_Word_and_Excel_files_over_thousands_of_units_list_every_unit_in_valid_compressed_packages()
    {
        var input = ManyUnits(3_000);
        var renderer = ReportRenderer.CreateDefault();

        var docx = renderer.RenderFile(input, ReportOutputFormat.Docx);
        var xlsx = renderer.RenderFile(input, ReportOutputFormat.Xlsx);

        // The large parts are written straight into the package: each is deflated and reads back whole.
        foreach (var file in new[] { docx, xlsx })
        {
            using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(file), System.IO.Compression.ZipArchiveMode.Read);
            var largest = zip.Entries.MaxBy(e => e.Length)!;
            Assert.True(largest.CompressedLength * 5 < largest.Length, $"{largest.FullName}: {largest.CompressedLength} of {largest.Length} bytes.");
        }

        using (var word = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(new MemoryStream(docx), false))
        {
            Assert.Empty(new DocumentFormat.OpenXml.Validation.OpenXmlValidator(DocumentFormat.OpenXml.FileFormatVersions.Office2016).Validate(word, TestContext.Current.CancellationToken).Take(5));
            var cells = word.MainDocumentPart!.Document!.Body!.Descendants<DocumentFormat.OpenXml.Wordprocessing.TableCell>().Select(c => c.InnerText).ToHashSet(StringComparer.Ordinal);
            Assert.All(Enumerable.Range(1, 3_000), i => Assert.Contains($"第{i}单位", cells));
        }

        using var workbook = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        Assert.Empty(new DocumentFormat.OpenXml.Validation.OpenXmlValidator(DocumentFormat.OpenXml.FileFormatVersions.Office2016).Validate(workbook, TestContext.Current.CancellationToken).Take(5));
        var part = workbook.WorkbookPart!;
        var sheet = part.Workbook!.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().Single(s => s.Name == Office.XlsxReportWriter.BreakdownSheet);
        var names = ((DocumentFormat.OpenXml.Packaging.WorksheetPart)part.GetPartById(sheet.Id!)).Worksheet!
            .Descendants<DocumentFormat.OpenXml.Spreadsheet.Cell>().Select(c => c.InlineString?.InnerText).OfType<string>().ToHashSet(StringComparer.Ordinal);
        Assert.All(Enumerable.Range(1, 3_000), i => Assert.Contains($"第{i}单位", names));
        Assert.NotNull(part.WorkbookStylesPart!.Stylesheet!.CellFormats);
    }

    private static decimal Number(string text) => decimal.Parse(text.Replace("万元", string.Empty, StringComparison.Ordinal), NumberStyles.Number, CultureInfo.InvariantCulture);
}

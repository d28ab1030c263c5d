using System.Globalization;
using System.Text.RegularExpressions;
using Aggregator.Reporting.Model;
using Aggregator.Reporting.Office;
using Aggregator.Reporting.Tests.Support;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace Aggregator.Reporting.Tests;

public sealed partial class OfficeReportTests
{
    private static readonly ReportRenderer Renderer = ReportRenderer.CreateDefault();

    private static readonly string[] Numerals = ["一", "二", "三", "四", "五", "六"];

    public static TheoryData<string> NationalFormats => ["fmt_2019", "fmt_2021"];

    private static ReportInput DistrictOf(string formatId) =>
        formatId == "fmt_2019" ? ReportInputs.Seed002District() : ReportInputs.District(formatId, 2022, 5, missing: 1, rejected: 1);

    private static decimal Consolidated(ReportInput input, string cellId) => input.Values.GetValueOrDefault(cellId) ?? 0m;

    private static IEnumerable<TableModel> NationalTables(ReportModel model) => model.Sections.SelectMany(s => s.Tables);

    [Theory]
    [MemberData(nameof(NationalFormats))]
    public void The_Word_report_has_the_title_the_headings_一_to_六_on_A4_with_page_numbers_and_Chinese_fonts(string formatId)
    {
        var input = DistrictOf(formatId);
        var model = ReportModelBuilder.Default.Build(input);
        var word = WordReport.Read(Renderer.RenderFile(input, ReportOutputFormat.Docx));

        Assert.Equal(model.Title, word.Paragraphs[0]);
        Assert.Equal("温州市洞头区" + input.Year + "年度政府信息公开工作年度报告", word.Paragraphs[0]);
        var headings = word.Body.Elements<W.Paragraph>()
            .Where(p => p.ParagraphProperties?.ParagraphStyleId?.Val?.Value == "Heading1")
            .Select(p => p.InnerText)
            .ToList();
        Assert.Equal(Numerals, headings.Take(6).Select(h => h[..1]));
        Assert.Equal(model.Sections.Select(s => s.Heading), headings.Take(6));
        Assert.Contains("附件1　各单位汇总明细", headings);

        var page = word.Body.GetFirstChild<W.SectionProperties>()!.GetFirstChild<W.PageSize>()!;
        Assert.Equal((11906u, 16838u), (page.Width!.Value, page.Height!.Value));
        var footer = Assert.Single(word.Footers);
        Assert.Contains("PAGE", footer, StringComparison.Ordinal);

        var fonts = word.Body.Descendants<W.RunFonts>().Select(f => f.EastAsia?.Value).ToHashSet();
        Assert.Contains("宋体", fonts);
        Assert.Contains("仿宋", fonts);
        var titleFont = word.Body.Elements<W.Paragraph>().First().Descendants<W.RunFonts>().First().EastAsia?.Value;
        Assert.Equal("宋体", titleFont);
        Assert.Contains(model.CompiledBy, word.Paragraphs);
        Assert.Contains(model.GeneratedAt, word.Paragraphs);
    }

    [Theory]
    [MemberData(nameof(NationalFormats))]
    public void The_Word_tables_merge_the_header_cells_the_printed_layout_merges(string formatId)
    {
        var input = DistrictOf(formatId);
        var model = ReportModelBuilder.Default.Build(input);
        var word = WordReport.Read(Renderer.RenderFile(input, ReportOutputFormat.Docx));
        var tables = NationalTables(model).Zip(word.Tables).ToList();
        Assert.Equal(NationalTables(model).Count(), tables.Count);

        foreach (var (table, docx) in tables)
        {
            var header = docx.Elements<W.TableRow>().Skip(table.BlockTitle is null ? 0 : 1).Take(table.HeaderRows.Count(r => r.Count > 0)).ToList();
            var placed = header.Select(Placed).ToList();
            foreach (var cell in table.HeaderRows.SelectMany(r => r))
            {
                var (row, column, span, merge) = placed.SelectMany((cells, r) => cells.Select(c => (Row: r, c.Column, c.Span, c.Merge, c.Text)))
                    .Where(c => c.Text == cell.Text)
                    .Select(c => (c.Row, c.Column, c.Span, c.Merge))
                    .First();
                Assert.Equal(cell.ColSpan, span);
                if (cell.RowSpan > 1)
                {
                    Assert.Equal(W.MergedCellValues.Restart, merge);
                    var continued = placed.Skip(row + 1).Take(cell.RowSpan - 1)
                        .Select(cells => cells.Single(c => c.Column == column))
                        .ToList();
                    Assert.All(continued, c => Assert.Equal((string.Empty, cell.ColSpan, W.MergedCellValues.Continue), (c.Text, c.Span, c.Merge!.Value)));
                }
            }
        }

        var s4 = word.Tables[NationalTables(model).ToList().FindIndex(t => t.Id == "s4")];
        var s4Header = s4.Elements<W.TableRow>().SelectMany(Placed).ToList();
        Assert.Equal(5, s4Header.Single(c => c.Text == "行政复议").Span);
        Assert.Equal(10, s4Header.Single(c => c.Text == "行政诉讼").Span);
        Assert.Equal(5, s4Header.Single(c => c.Text == "未经复议直接起诉").Span);
        var s3Header = word.Tables[NationalTables(model).ToList().FindIndex(t => t.Id == "s3")].Elements<W.TableRow>().SelectMany(Placed).ToList();
        Assert.Equal(5, s3Header.Single(c => c.Text == "法人或其他组织").Span);
    }

    [Theory]
    [MemberData(nameof(NationalFormats))]
    public void Every_figure_of_the_Word_tables_equals_the_rollups_value(string formatId)
    {
        var input = DistrictOf(formatId);
        var model = ReportModelBuilder.Default.Build(input);
        var word = WordReport.Read(Renderer.RenderFile(input, ReportOutputFormat.Docx));
        var compared = 0;
        foreach (var (table, docx) in NationalTables(model).Zip(word.Tables))
        {
            var body = docx.Elements<W.TableRow>().Skip((table.BlockTitle is null ? 0 : 1) + table.HeaderRows.Count(r => r.Count > 0)).ToList();
            Assert.Equal(table.BodyRows.Count, body.Count);
            foreach (var (row, printed) in table.BodyRows.Zip(body))
            {
                var texts = WordReport.CellTexts(printed);
                var values = texts.Skip(texts.Count - row.Cells.Count).ToList();
                foreach (var (cell, text) in row.Cells.Zip(values))
                {
                    Assert.Equal(Consolidated(input, cell.Id), ParsePrinted(text));
                    compared++;
                }
            }
        }

        Assert.Equal(NationalTables(model).Sum(t => t.BodyRows.Sum(r => r.Cells.Count)), compared);
        Assert.True(compared > 100, $"only {compared} figures compared");
        var totals = WordReport.CellTexts(word.Tables[^2].Elements<W.TableRow>().Last());
        Assert.Equal("合计", totals[0]);
        Assert.Equal(model.Breakdown.KeyColumns.Select(k => Consolidated(input, k.CellId)), totals.Skip(3).Select(ParsePrinted));
    }

    [Theory]
    [MemberData(nameof(NationalFormats))]
    public void The_workbook_has_a_sheet_per_national_table_with_its_merged_header_cells_and_labels(string formatId)
    {
        var input = DistrictOf(formatId);
        var model = ReportModelBuilder.Default.Build(input);
        var workbook = Workbook.Read(Renderer.RenderFile(input, ReportOutputFormat.Xlsx));

        Assert.Equal([XlsxReportWriter.TextSheet, .. model.TableList.Select(XlsxReportWriter.SheetName), "各单位汇总明细", "报送情况", XlsxReportWriter.ValidationSheet], workbook.Names);
        foreach (var table in model.TableList)
        {
            var sheet = workbook[XlsxReportWriter.SheetName(table)];
            Assert.NotNull(sheet.Find(table.SectionHeading));
            foreach (var cell in table.HeaderRows.SelectMany(r => r).Where(c => c.RowSpan > 1 || c.ColSpan > 1))
            {
                var start = sheet.Find(cell.Text);
                Assert.NotNull(start);
                var merge = sheet.Merges.Single(m => m.StartsWith(start + ":", StringComparison.Ordinal));
                var (top, left) = Workbook.Position(start);
                var (bottom, right) = Workbook.Position(merge[(merge.IndexOf(':', StringComparison.Ordinal) + 1)..]);
                Assert.Equal((cell.RowSpan, cell.ColSpan), (bottom - top + 1, right - left + 1));
            }

            foreach (var label in table.BodyRows.SelectMany(r => r.LabelCells))
            {
                Assert.NotNull(sheet.Find(label.Text));
            }
        }

        var s4 = workbook[XlsxReportWriter.SheetName(model.Tables["s4"])];
        Assert.Contains(s4.Merges, m => m.StartsWith(s4.Find("行政诉讼") + ":", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(NationalFormats))]
    public void Every_figure_of_the_workbook_is_a_number_equal_to_the_rollups_value(string formatId)
    {
        var input = DistrictOf(formatId);
        var model = ReportModelBuilder.Default.Build(input);
        var workbook = Workbook.Read(Renderer.RenderFile(input, ReportOutputFormat.Xlsx));
        var compared = 0;
        foreach (var table in model.TableList)
        {
            var sheet = workbook[XlsxReportWriter.SheetName(table)];
            var grid = PrintedGrid.Of(table);
            var top = table.BlockTitle is null ? 2 : 3;
            foreach (var placed in grid.Cells.Where(c => c.Value is not null))
            {
                var cell = sheet.Cells[Reference(top + placed.Row, placed.Column)];
                var expected = Consolidated(input, placed.Value!.Id);
                Assert.True(cell.IsNumber, $"{placed.Value.Id} is stored as text");
                Assert.Equal(expected, decimal.Parse(cell.Text, NumberStyles.Float, CultureInfo.InvariantCulture));
                Assert.Equal(placed.Value.Kind == "money" ? Decimals(expected) : 0, Decimals(cell.NumberFormat));
                compared++;
            }
        }

        Assert.Equal(model.TableList.Sum(t => t.BodyRows.Sum(r => r.Cells.Count)), compared);

        var breakdown = workbook["各单位汇总明细"];
        foreach (var unit in input.IncludedUnits)
        {
            var (row, _) = Workbook.Position(breakdown.Find(unit.Code)!);
            Assert.Equal(unit.Version.ToString(CultureInfo.InvariantCulture), breakdown.Cells[Reference(row, 2)].Text);
            for (var i = 0; i < model.Breakdown.KeyColumns.Count; i++)
            {
                var cell = breakdown.Cells[Reference(row, 3 + i)];
                Assert.True(cell.IsNumber);
                Assert.Equal(unit.Values.GetValueOrDefault(model.Breakdown.KeyColumns[i].CellId) ?? 0m, decimal.Parse(cell.Text, NumberStyles.Float, CultureInfo.InvariantCulture));
            }
        }

        var (totalRow, _) = Workbook.Position(breakdown.Find("合计")!);
        Assert.Equal(
            model.Breakdown.KeyColumns.Select(k => Consolidated(input, k.CellId)),
            model.Breakdown.KeyColumns.Select((_, i) => decimal.Parse(breakdown.Cells[Reference(totalRow, 3 + i)].Text, NumberStyles.Float, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void The_completeness_sheet_lists_included_rejected_and_missing_units()
    {
        var input = ReportInputs.Seed002District();
        var sheet = Workbook.Read(Renderer.RenderFile(input, ReportOutputFormat.Xlsx))["报送情况"];
        var expected = input.IncludedUnits.Select(u => (u.Code, "已汇总"))
            .Concat(input.RejectedUnits.Select(u => (u.Code, "未通过校验")))
            .Concat(input.MissingUnits.Select(u => (u.Code, "未报送")));
        foreach (var (code, state) in expected)
        {
            var (row, _) = Workbook.Position(sheet.Find(code)!);
            Assert.Equal(state, sheet.Cells[Reference(row, 0)].Text);
        }

        var (expectedRow, _) = Workbook.Position(sheet.Find("应报送单位")!);
        Assert.Equal(("5", true), (sheet.Cells[Reference(expectedRow, 1)].Text, sheet.Cells[Reference(expectedRow, 1)].IsNumber));
    }

    [Theory]
    [InlineData("24252.311082", "24252.311082", 6)]
    [InlineData("0.00045", "0.00045", 5)]
    [InlineData("7380.289590", "7380.28959", 5)]
    [InlineData("244.19", "244.19", 2)]
    [InlineData("7390", "7390", 0)]
    public void Money_is_stored_in_万元_with_exactly_its_decimals(string amount, string stored, int decimals)
    {
        var input = new ReportInput
        {
            FormatId = "fmt_2019",
            Year = 2019,
            UnitName = "测试区",
            GeneratedAt = ReportInputs.GeneratedAt,
            Values = new Dictionary<string, decimal?> { ["s2_9.central_procurement.total_amount"] = decimal.Parse(amount, CultureInfo.InvariantCulture) },
        };
        var model = ReportModelBuilder.Default.Build(input);
        var table = model.TableList.Single(t => t.Rows.Any(r => r.Cells.Any(c => c.Id == "s2_9.central_procurement.total_amount")));
        var placed = PrintedGrid.Of(table).Cells.Single(c => c.Value?.Id == "s2_9.central_procurement.total_amount");
        var sheet = Workbook.Read(Renderer.RenderFile(input, ReportOutputFormat.Xlsx))[XlsxReportWriter.SheetName(table)];
        var cell = sheet.Cells[Reference((table.BlockTitle is null ? 2 : 3) + placed.Row, placed.Column)];

        Assert.True(cell.IsNumber);
        Assert.Equal(stored, cell.Text);
        Assert.Equal(decimals, Decimals(cell.NumberFormat));
        Assert.EndsWith("\"万元\"", cell.NumberFormat, StringComparison.Ordinal);
    }

    [Fact]
    public void Shares_have_one_decimal_place_in_every_output()
    {
        var input = new ReportInput
        {
            FormatId = "fmt_2019",
            Year = 2019,
            UnitName = "测试区",
            GeneratedAt = ReportInputs.GeneratedAt,
            Values = new Dictionary<string, decimal?>
            {
                ["s3.r3_1_granted.total"] = 5, ["s3.r3_2_partial.total"] = 5, ["s3.r3_6_other.total"] = 10, ["s3.r3_7_total.total"] = 20,
            },
        };
        var html = HtmlReport.Parse(Renderer.Render(input, ReportOutputFormat.Html)).ById("section-overview").Value;
        var markdown = Renderer.Render(input, ReportOutputFormat.Markdown);
        var word = string.Join("\n", WordReport.Read(Renderer.RenderFile(input, ReportOutputFormat.Docx)).Paragraphs);
        foreach (var text in new[] { html, markdown, word })
        {
            Assert.Contains("50.0%", text, StringComparison.Ordinal);
            var shares = Share().Matches(text).Select(m => m.Value).ToList();
            Assert.NotEmpty(shares);
            Assert.All(shares, s => Assert.Matches(@"^\d+\.\d%$", s));
        }
    }

    [Theory]
    [MemberData(nameof(NationalFormats))]
    public void The_Word_and_Excel_files_are_valid_Open_XML(string formatId)
    {
        var input = DistrictOf(formatId);
        var validator = new DocumentFormat.OpenXml.Validation.OpenXmlValidator(DocumentFormat.OpenXml.FileFormatVersions.Office2016);
        using (var word = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(new MemoryStream(Renderer.RenderFile(input, ReportOutputFormat.Docx)), false))
        {
            Assert.Equal(string.Empty, string.Join("\n", validator.Validate(word, TestContext.Current.CancellationToken).Take(5).Select(e => $"{e.Path?.XPath}: {e.Description}")));
        }

        using var workbook = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(new MemoryStream(Renderer.RenderFile(input, ReportOutputFormat.Xlsx)), false);
        Assert.Equal(string.Empty, string.Join("\n", validator.Validate(workbook, TestContext.Current.CancellationToken).Take(5).Select(e => $"{e.Path?.XPath}: {e.Description}")));
    }

    private static List<(int Column, int Span, W.MergedCellValues? Merge, string Text)> Placed(W.TableRow row)
    {
        var placed = new List<(int, int, W.MergedCellValues?, string)>();
        var column = 0;
        foreach (var cell in row.Elements<W.TableCell>())
        {
            var span = cell.TableCellProperties?.GridSpan?.Val?.Value ?? 1;
            var merge = cell.TableCellProperties?.VerticalMerge;
            W.MergedCellValues? value = merge is null ? null : merge.Val?.Value ?? W.MergedCellValues.Continue;
            placed.Add((column, span, value, cell.InnerText));
            column += span;
        }

        return placed;
    }

    private static decimal ParsePrinted(string text) =>
        text.Length == 0 ? 0m : decimal.Parse(text.Replace("万元", string.Empty, StringComparison.Ordinal).TrimStart('+'), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static int Decimals(decimal value) => (decimal.GetBits(value / 1.0000000000000000000000000000m)[3] >> 16) & 0xFF;

    // The decimals a number format shows: 0.000"万元" → 3, +0;-0;0 → 0.
    private static int Decimals(string format) =>
        format.Split(';')[0].IndexOf('.', StringComparison.Ordinal) is var dot and >= 0 ? format.Skip(dot + 1).TakeWhile(c => c == '0').Count() : 0;

    private static string Reference(int row, int column)
    {
        var letters = string.Empty;
        for (var c = column + 1; c > 0; c = (c - 1) / 26)
        {
            letters = (char)('A' + ((c - 1) % 26)) + letters;
        }

        return letters + (row + 1).ToString(CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"\d+(\.\d+)?%")]
    private static partial Regex Share();
}

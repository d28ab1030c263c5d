using System.Globalization;
using Aggregator.Import.Tests.Support;

namespace Aggregator.Import.Tests;

public sealed class WordReportReaderTests(ITestOutputHelper output)
{
    public static TheoryData<string> ReportNames => [.. Reports.Names];

    [Theory]
    [MemberData(nameof(ReportNames))]
    public void Reads_every_table_of_the_report_to_the_transcribed_values(string name)
    {
        var report = Reports.Read(name);
        var expected = Reports.ExpectedValues(name);
        var read = report.Cells.Where(c => c.Value is not null).ToDictionary(c => c.Cell.Id, c => c.Value!.Value, StringComparer.Ordinal);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"import {name}: form {report.Form.Id}, cells located {report.Cells.Count}, values read {read.Count} / expected {expected.Count}, unsure {report.UnsureCount}, missing {report.Missing.Count}"));
        foreach (var cell in report.Cells.Where(c => !c.IsSure))
        {
            output.WriteLine($"  unsure {cell.Cell.Id} “{cell.Text}”: {cell.Doubt}");
        }

        var wrong = expected.Where(e => !read.TryGetValue(e.Key, out var v) || v != e.Value)
            .Select(e => $"{e.Key}: expected {e.Value}, read {(read.TryGetValue(e.Key, out var v) ? v : "nothing")}")
            .Concat(read.Keys.Except(expected.Keys).Select(k => $"{k}: read {read[k]} but the transcription has it blank"))
            .ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Theory]
    [MemberData(nameof(ReportNames))]
    public void Finds_every_cell_of_the_form_in_the_report(string name)
    {
        var report = Reports.Read(name);

        Assert.True(report.Missing.Count == 0, "not found: " + string.Join(", ", report.Missing.Select(c => c.Id)));
    }

    [Theory]
    [InlineData("seed_000", "stat_pre2019", 2018, "温州市机关事务管理局")]
    [InlineData("seed_002", "fmt_2019", 2019, "温州市洞头区")]
    [InlineData("seed_004", "fmt_2019", 2019, "宁波市机关事务管理局")]
    [InlineData("shanghai_2019", "fmt_2019", 2019, "上海市人民政府办公厅")]
    public void Takes_the_year_form_and_unit_from_the_title(string name, string formId, int year, string unitName)
    {
        var report = Reports.Read(name);

        Assert.Equal((formId, year, unitName), (report.Form.Id, report.Year, report.UnitName));
    }

    [Fact]
    public void Keeps_the_narrative_outside_the_tables()
    {
        var report = Reports.Read("seed_002");

        Assert.Contains(report.Narrative, p => p.StartsWith("2.优化答复签发流程", StringComparison.Ordinal));
        Assert.Contains(report.Narrative, p => p.StartsWith("全年发布政策解读21个", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Narrative, p => p == "行政许可");
    }

    [Fact]
    public void The_submission_carries_the_narrative_and_it_survives_the_stored_json()
    {
        var report = Reports.Read("seed_002");

        var stored = Aggregator.Core.Values.SubmissionDocument.Parse(report.ToSubmission(unitCode: "X01").ToJson());

        Assert.Equal(string.Join('\n', report.Narrative), stored.Narrative);
        Assert.Contains("全年发布政策解读21个", stored.Narrative, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_an_amount_written_in_yuan_as_wan_yuan_and_marks_it_unsure()
    {
        var cell = Reports.Read("shanghai_2019").Cells.Single(c => c.Cell.Id == "s2_9.central_procurement.total_amount");

        Assert.Equal(("251000元", 25.1m, false), (cell.Text, cell.Value, cell.IsSure));
        Assert.Contains("万元", cell.Doubt, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_units_written_in_cells_and_in_the_header_as_sure()
    {
        var seed002 = Reports.Read("seed_002").Cells.ToDictionary(c => c.Cell.Id);
        var seed004 = Reports.Read("seed_004");

        Assert.Equal((4m, true), (seed002["s2_9.central_procurement.projects"].Value, seed002["s2_9.central_procurement.projects"].IsSure));
        Assert.Equal((244.19m, true), (seed002["s2_9.central_procurement.total_amount"].Value, seed002["s2_9.central_procurement.total_amount"].IsSure));
        Assert.Equal("万元", seed004.UnitsFromHeader["s2_9.central_procurement.total_amount"]);
        Assert.True(seed004.Cells.Single(c => c.Cell.Id == "s2_9.central_procurement.total_amount").IsSure);
    }

    [Fact]
    public void Keeps_the_printed_label_beside_the_cell_id()
    {
        var cell = Reports.Read("seed_002").Cells.Single(c => c.Cell.Id == "s3.r3_3_2.natural_person");

        Assert.Equal(("2.其他法律行政法规禁止公开（自然人）", "1", 1m), (cell.PrintedLabel, cell.Text, cell.Value));
    }

    [Fact]
    public void Finds_the_tables_whatever_their_order_in_the_document()
    {
        var text = Reports.Text("seed_002");
        var tables = text.Split("[/table]\n");
        // Put the last table (四) first and the first (二) last.
        var reordered = string.Concat(tables[2].Split("[table")[0], "[table", tables[2].Split("[table")[1], "[/table]\n",
            "[table", tables[1].Split("[table")[1], "[/table]\n", tables[0], "[/table]\n", tables[3]);
        var report = WordReportReader.Default.Read(new MemoryStream(ReportDocx.FromText(reordered)));

        var read = report.Cells.Where(c => c.Value is not null).ToDictionary(c => c.Cell.Id, c => c.Value!.Value, StringComparer.Ordinal);
        Assert.Equal(Reports.ExpectedValues("seed_002").OrderBy(p => p.Key, StringComparer.Ordinal), read.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Reads_slashes_as_zero_and_blank_cells_as_blank_as_the_core_does()
    {
        var text = Reports.Text("seed_004")
            .Replace("\t行政处罚\t　0\t　0\t　0", "\t行政处罚\t/\t／\t\u00a0", StringComparison.Ordinal);
        var report = WordReportReader.Default.Read(new MemoryStream(ReportDocx.FromText(text)));
        var cells = report.Cells.ToDictionary(c => c.Cell.Id);

        Assert.Equal((0m, true), (cells["s2_6.penalty.prev_year_items"].Value, cells["s2_6.penalty.prev_year_items"].IsSure));
        Assert.Equal(0m, cells["s2_6.penalty.change"].Value);
        Assert.Null(cells["s2_6.penalty.decisions"].Value);
        Assert.False(report.ToSubmission().Values.ContainsKey("s2_6.penalty.decisions"));
    }

    [Fact]
    public void Marks_a_cell_whose_text_is_not_a_number_unsure_with_the_cores_words()
    {
        var text = Reports.Text("seed_002").Replace("\t行政强制\t144\t0\t6", "\t行政强制\t144\t0\t约6", StringComparison.Ordinal);
        var cell = WordReportReader.Default.Read(new MemoryStream(ReportDocx.FromText(text))).Cells.Single(c => c.Cell.Id == "s2_6.coercion.decisions");

        Assert.Null(cell.Value);
        Assert.False(cell.IsSure);
        Assert.Contains("不是有效的数字", cell.Doubt, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_file_that_is_not_a_docx()
    {
        var error = Assert.Throws<WordReportException>(() => WordReportReader.Default.Read(new MemoryStream("{\"values\":{}}"u8.ToArray())));

        Assert.Equal(WordReportProblems.Unreadable, error.Code);
    }

    [Fact]
    public void Refuses_a_document_without_the_forms_tables()
    {
        var docx = ReportDocx.Build([ReportDocx.Paragraph("某单位2019年政府信息公开工作年度报告"), ReportDocx.Paragraph("一、总体情况")]);

        var error = Assert.Throws<WordReportException>(() => WordReportReader.Default.Read(new MemoryStream(docx)));

        Assert.Equal(WordReportProblems.NoTables, error.Code);
    }
}

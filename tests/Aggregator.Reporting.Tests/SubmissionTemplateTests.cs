using Aggregator.Core.Forms;
using Aggregator.Core.Rules;
using Aggregator.Core.Values;
using Aggregator.Reporting.Tests.Support;
using Aggregator.Reporting.Workbooks;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Aggregator.Reporting.Tests;

public sealed class SubmissionTemplateTests
{
    public static TheoryData<string> TranscribedTables() =>
    [
        "domain/transcribed/seed_000.json",
        "domain/transcribed/seed_001.json",
        "domain/transcribed/seed_002.json",
        "domain/transcribed/seed_004.json",
        "cross-year/2020/DTQ.json",
        "cross-year/2021/DTQ.json",
        "cross-year/2021/NBJGSW.json",
    ];

    [Theory]
    [MemberData(nameof(TranscribedTables))]
    public void A_template_filled_with_a_transcribed_table_reads_back_to_the_verdict_of_its_json(string file)
    {
        var json = Load(file);
        var form = FormCatalog.Default.Get(json.FormatId);
        var template = SubmissionTemplateWriter.Write(form, new SubmissionTemplateRequest(json.Year, "QL-TEST", json.UnitName));

        using var workbook = new TemplateWorkbook(template);
        var reading = SubmissionWorkbookReader.Read(workbook.Fill(json.Values).Save());

        Assert.Null(reading.Problem);
        var read = reading.Document!;
        Assert.Equal((json.FormatId, json.Year, "QL-TEST", json.UnitName), (read.FormatId, read.Year, read.UnitCode, read.UnitName));
        var expected = SubmissionValidator.Default.Validate(json);
        var actual = SubmissionValidator.Default.Validate(read);
        Assert.Equal(expected.Outcome, actual.Outcome);
        Assert.Equal(Describe(expected), Describe(actual));
        Assert.Equal(Cells(expected), Cells(actual));
    }

    [Fact]
    public void Seeds_keep_their_failing_rules_through_the_workbook()
    {
        var seed001 = Verdict("domain/transcribed/seed_001.json");
        var seed000 = Verdict("domain/transcribed/seed_000.json");

        Assert.Equal(ValidationOutcome.Rejected, seed001.Outcome);
        Assert.Contains(seed001.Violations, v => v.RuleId == "OLD-S3-REPLIES" && v.Severity == Severity.Error);
        Assert.Contains(seed000.Violations, v => v.RuleId == "OLD-S1-CHANNEL-GE");
        Assert.Contains(seed000.Violations, v => v.RuleId == "OLD-HEADER-BLANK");

        static ValidationResult Verdict(string file)
        {
            var json = Load(file);
            using var workbook = new TemplateWorkbook(SubmissionTemplateWriter.Write(FormCatalog.Default.Get(json.FormatId), new(json.Year, "QL-TEST")));
            return SubmissionValidator.Default.Validate(SubmissionWorkbookReader.Read(workbook.Fill(json.Values).Save()).Document!);
        }
    }

    [Fact]
    public void A_renamed_reordered_and_relabelled_workbook_is_still_read_right()
    {
        var json = Load("domain/transcribed/seed_002.json");
        var form = FormCatalog.Default.Get(json.FormatId);
        using var workbook = new TemplateWorkbook(SubmissionTemplateWriter.Write(form, new(json.Year, "QL-DTQ")));
        workbook.Fill(json.Values);
        var tableThree = SubmissionTemplateWriter.SheetName("三、收到和处理政府信息公开申请情况");
        workbook.RenameSheet(tableThree, "表三 (改名)");
        workbook.ReverseSheetOrder();
        // Rewrite every label of table 三, and move two input cells (with their names) to each other's places.
        foreach (var cell in workbook.Part("表三 (改名)").Worksheet.Descendants<Cell>().Where(c => c.DataType?.Value == CellValues.InlineString))
        {
            TemplateWorkbook.SetText(cell, "改写的标签 " + cell.InlineString!.InnerText);
        }

        workbook.SwapCells("s3.r1_new.total", "s3.r3_7_total.total");
        workbook.SwapCells("s2_5.license.change", "s2_9.central_procurement.total_amount");

        var read = SubmissionWorkbookReader.Read(workbook.Save()).Document!;

        Assert.Equal(16m, read.Values["s3.r1_new.total"].Number);
        Assert.Equal(17m, read.Values["s3.r3_7_total.total"].Number);
        Assert.Equal(441m, read.Values["s2_5.license.change"].Number);
        Assert.Equal(244.19m, read.Values["s2_9.central_procurement.total_amount"].Number);
        Assert.Equal(Describe(SubmissionValidator.Default.Validate(json)), Describe(SubmissionValidator.Default.Validate(read)));
    }

    [Fact]
    public void A_workbook_whose_names_were_dropped_is_read_through_the_hidden_cell_map()
    {
        var json = Load("cross-year/2021/DTQ.json");
        using var workbook = new TemplateWorkbook(SubmissionTemplateWriter.Write(FormCatalog.Default.Get(json.FormatId), new(json.Year, "QL-DTQ")));
        workbook.Fill(json.Values);
        foreach (var name in workbook.Names().Where(n => n.Name!.Value!.StartsWith(TemplateLayout.CellNamePrefix + "s", StringComparison.Ordinal)).ToList())
        {
            name.Remove();
        }

        var read = SubmissionWorkbookReader.Read(workbook.Save()).Document!;

        Assert.Equal(json.Values.Count, read.Values.Count);
        Assert.Equal(12.5m, read.Values["s2_8.admin_fee.amount"].Number);
    }

    [Fact]
    public void The_cover_carries_the_unit_a_template_left_open()
    {
        var form = FormCatalog.Default.Get("fmt_2021");
        using var workbook = new TemplateWorkbook(SubmissionTemplateWriter.Write(form, new(2024)));
        TemplateWorkbook.SetText(workbook.NamedCell(TemplateLayout.UnitCodeName), " QL-FGJ ");
        TemplateWorkbook.SetText(workbook.NamedCell(TemplateLayout.UnitNameName), "区发展和改革局");

        var read = SubmissionWorkbookReader.Read(workbook.Save()).Document!;

        Assert.Equal(("fmt_2021", 2024, "QL-FGJ", "区发展和改革局"), (read.FormatId, read.Year, read.UnitCode, read.UnitName));
        Assert.Empty(read.Values);
    }

    [Fact]
    public void A_unit_given_to_the_template_is_locked_on_the_cover_and_wins_over_what_is_typed_there()
    {
        using var workbook = new TemplateWorkbook(SubmissionTemplateWriter.Write(FormCatalog.Default.Get("fmt_2019"), new(2020, "QL-JYJ", "区教育局")));
        var coverCode = workbook.NamedCell(TemplateLayout.UnitCodeName);
        Assert.True(IsLocked(workbook.WorkbookPart, coverCode));
        TemplateWorkbook.SetText(coverCode, "QL-OTHER");

        var read = SubmissionWorkbookReader.Read(workbook.Save()).Document!;

        Assert.Equal(("QL-JYJ", "区教育局"), (read.UnitCode, read.UnitName));
    }

    [Fact]
    public void Bytes_that_are_no_workbook_are_refused_as_unreadable()
    {
        Assert.Equal(WorkbookProblemCodes.Unreadable, SubmissionWorkbookReader.Read("{\"format_id\":1}"u8.ToArray()).Problem?.Code);
        Assert.Equal(WorkbookProblemCodes.Unreadable, SubmissionWorkbookReader.Read([0x50, 0x4B, 0x03, 0x04, 1, 2, 3]).Problem?.Code);
    }

    [Fact]
    public void A_workbook_that_is_not_a_template_is_refused_with_its_code()
    {
        var report = new TemplateWorkbook(SubmissionTemplateWriter.Write(FormCatalog.Default.Get("fmt_2021"), new(2022)));
        var metadata = report.Sheets.Single(s => s.Name == TemplateLayout.MetadataSheet);
        report.WorkbookPart.DeletePart(metadata.Id!.Value!);
        metadata.Remove();

        var problem = SubmissionWorkbookReader.Read(report.Save()).Problem;

        Assert.Equal(WorkbookProblemCodes.NotATemplate, problem?.Code);
        Assert.Contains("不是本系统生成的报表模板", problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_whose_cell_was_deleted_is_refused_as_damaged_naming_the_cell()
    {
        using var workbook = new TemplateWorkbook(SubmissionTemplateWriter.Write(FormCatalog.Default.Get("fmt_2021"), new(2022, "QL-A")));
        workbook.Names().Single(n => n.Name == TemplateLayout.CellNamePrefix + "s4.review.total").Text = "#REF!";
        workbook.RenameSheet(SubmissionTemplateWriter.SheetName("四、政府信息公开行政复议、行政诉讼情况"), "四");

        var problem = SubmissionWorkbookReader.Read(workbook.Save()).Problem;

        Assert.Equal(WorkbookProblemCodes.Damaged, problem?.Code);
        Assert.Contains("s4.review.total", problem!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("stat_pre2019", 2018)]
    [InlineData("fmt_2019", 2019)]
    [InlineData("fmt_2021", 2023)]
    public void Only_the_input_cells_are_unlocked_and_every_sheet_is_protected(string formatId, int year)
    {
        var form = FormCatalog.Default.Get(formatId);
        using var workbook = new TemplateWorkbook(SubmissionTemplateWriter.Write(form, new(year, "QL-A", "甲单位")));

        var visible = workbook.Sheets.Where(s => s.State is null).ToList();
        Assert.Equal(TemplateLayout.CoverSheet, visible[0].Name);
        Assert.Equal(SheetStateValues.VeryHidden, workbook.Sheets.Single(s => s.Name == TemplateLayout.MetadataSheet).State!.Value);
        foreach (var sheet in workbook.Sheets)
        {
            var protection = workbook.Part(sheet.Name!).Worksheet.GetFirstChild<SheetProtection>();
            Assert.True(protection?.Sheet?.Value, $"{sheet.Name} is not protected");
        }

        var inputs = form.Cells.Select(c => workbook.NamedCell(TemplateLayout.CellNamePrefix + c.Id)).ToList();
        Assert.All(inputs, c => Assert.False(IsLocked(workbook.WorkbookPart, c), c.CellReference));
        var tableSheets = visible.Skip(1).Select(s => workbook.Part(s.Name!)).ToList();
        var locked = tableSheets.SelectMany(p => p.Worksheet.Descendants<Cell>()).Where(c => !inputs.Contains(c)).ToList();
        Assert.NotEmpty(locked);
        Assert.All(locked, c => Assert.True(IsLocked(workbook.WorkbookPart, c), c.CellReference));
        Assert.True(workbook.WorkbookPart.Workbook.GetFirstChild<CalculationProperties>()?.FullCalculationOnLoad?.Value);
    }

    [Fact]
    public void Each_input_cell_is_validated_for_its_type()
    {
        var form = FormCatalog.Default.Get("fmt_2019");
        using var workbook = new TemplateWorkbook(SubmissionTemplateWriter.Write(form, new(2019)));

        foreach (var cell in form.Cells)
        {
            var (part, reference) = workbook.Target(TemplateLayout.CellNamePrefix + cell.Id);
            var validation = part.Worksheet.Descendants<DataValidation>()
                .Single(v => v.SequenceOfReferences!.Items.Any(r => r.Value == reference));
            var rule = (validation.Type!.Value, validation.Operator!.Value, validation.Formula1!.Text);
            switch (cell.Type)
            {
                case Core.Forms.CellType.SignedInteger:
                    Assert.Equal((DataValidationValues.Whole, DataValidationOperatorValues.Between), (rule.Item1, rule.Item2));
                    Assert.StartsWith("-", rule.Text, StringComparison.Ordinal);
                    break;
                case Core.Forms.CellType.Decimal:
                    Assert.Equal((DataValidationValues.Decimal, DataValidationOperatorValues.GreaterThanOrEqual, "0"), rule);
                    break;
                default:
                    Assert.Equal((DataValidationValues.Whole, DataValidationOperatorValues.GreaterThanOrEqual, "0"), rule);
                    break;
            }

            Assert.True(validation.ShowErrorMessage?.Value, cell.Id);
            Assert.False(string.IsNullOrEmpty(validation.Error?.Value), cell.Id);
        }

        Assert.Contains(form.Cells, c => c.Type == Core.Forms.CellType.SignedInteger);
        Assert.Contains(form.Cells, c => c.Type == Core.Forms.CellType.Decimal);
    }

    [Theory]
    [InlineData("fmt_2019", 2019, "s3.r1_new.total", "s3.r1_new.natural_person,s3.r1_new.commercial,s3.r1_new.research,s3.r1_new.public_interest,s3.r1_new.legal_service,s3.r1_new.other_org")]
    [InlineData("fmt_2021", 2021, "s3.r3_7_total.commercial", "s3.r3_1_granted.commercial,s3.r3_2_partial.commercial,s3.r3_3_1.commercial")]
    [InlineData("fmt_2021", 2021, "s4.lit_direct.total", "s4.lit_direct.upheld,s4.lit_direct.corrected,s4.lit_direct.other,s4.lit_direct.pending")]
    [InlineData("stat_pre2019", 2018, "stat.s3_1.value", "stat.s3_1_1.value,stat.s3_1_2.value,stat.s3_1_3.value,stat.s3_1_4.value")]
    public void A_total_has_a_formula_beside_it_summing_its_parts_and_turns_red_when_it_disagrees(string formatId, int year, string total, string parts)
    {
        var form = FormCatalog.Default.Get(formatId);
        using var workbook = new TemplateWorkbook(SubmissionTemplateWriter.Write(form, new(year)));
        var (part, totalReference) = workbook.Target(TemplateLayout.CellNamePrefix + total);
        var partReferences = parts.Split(',').Select(p => workbook.Target(TemplateLayout.CellNamePrefix + p).Reference).ToList();

        var formulas = part.Worksheet.Descendants<Cell>().Where(c => c.CellFormula is not null)
            .Select(c => (c.CellReference!.Value!, c.CellFormula!.Text)).ToList();
        var sum = formulas.Where(f => partReferences.All(r => Refers(f.Text, r))).ToList();
        Assert.Single(sum);
        Assert.False(Refers(sum[0].Text, totalReference), sum[0].Text);
        var (formulaRow, formulaColumn) = Split(sum[0].Item1);
        var (totalRow, totalColumn) = Split(totalReference);
        Assert.True(formulaRow == totalRow || formulaColumn == totalColumn, $"{sum[0].Item1} is not beside {totalReference}");
        Assert.True(IsLocked(workbook.WorkbookPart, TemplateWorkbook.CellAt(part, sum[0].Item1)));

        var highlight = part.Worksheet.Elements<ConditionalFormatting>()
            .Where(f => f.SequenceOfReferences!.Items.Any(r => r.Value == totalReference))
            .SelectMany(f => f.Elements<ConditionalFormattingRule>()).ToList();
        Assert.Contains(highlight, r => partReferences.All(p => Refers(r.InnerText, p)));

        static bool Refers(string formula, string reference) =>
            formula.Split('(', ')', ',', '<', '>', '=').Contains(reference, StringComparer.Ordinal);

        static (string Row, string Column) Split(string reference)
        {
            var digits = reference.IndexOfAny("0123456789".ToCharArray());
            return (reference[digits..], reference[..digits]);
        }
    }

    [Fact]
    public void The_printed_layout_keeps_labels_merged_headers_and_the_balance_note()
    {
        var form = FormCatalog.Default.Get("fmt_2021");
        using var workbook = new TemplateWorkbook(SubmissionTemplateWriter.Write(form, new(2022)));
        var sheet = workbook.Part(SubmissionTemplateWriter.SheetName("三、收到和处理政府信息公开申请情况")).Worksheet;
        var texts = sheet.Descendants<Cell>().Where(c => c.InlineString is not null).Select(c => c.InlineString!.InnerText).ToList();

        Assert.Contains("申请人情况", texts);
        Assert.Contains("法人或其他组织", texts);
        Assert.Contains(texts, t => t.Contains("勾稽关系", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.StartsWith("（七）总计", StringComparison.Ordinal));
        Assert.True(sheet.GetFirstChild<MergeCells>()?.Count?.Value > 5);
        var twenty = workbook.Part(SubmissionTemplateWriter.SheetName("二、主动公开政府信息情况")).Worksheet
            .Descendants<Cell>().Where(c => c.InlineString is not null).Select(c => c.InlineString!.InnerText).ToList();
        Assert.Contains("第二十条第（一）项", twenty);
        Assert.Contains("第二十条第（八）项", twenty);
    }

    [Fact]
    public void A_year_the_form_does_not_cover_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SubmissionTemplateWriter.Write(FormCatalog.Default.Get("fmt_2019"), new(2021)));
    }

    private static SubmissionDocument Load(string file) => SubmissionDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, file)));

    private static List<string> Describe(ValidationResult result) =>
        [.. result.Violations.Select(v => $"{v.RuleId} {v.Severity} {v.Message}")];

    private static List<string> Cells(ValidationResult result) =>
        [.. result.Form.Cells.Select(c => $"{c.Id}={result.Table.GetValue(c.Id)}")];

    private static bool IsLocked(WorkbookPart workbookPart, Cell cell)
    {
        var format = (CellFormat)workbookPart.WorkbookStylesPart!.Stylesheet.CellFormats!.ElementAt((int)(cell.StyleIndex?.Value ?? 0));
        return format.Protection?.Locked?.Value ?? true;
    }
}

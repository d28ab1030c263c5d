using Aggregator.Application.Units;
using Aggregator.Intake.Tests.Support;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Aggregator.Intake.Tests;

/// <summary>The office's unit lists as .xlsx: the first sheet, headers in Chinese or English in any order, rows named by sheet row.</summary>
public sealed class UnitListXlsxTests
{
    [Fact]
    public void Chinese_headers_in_any_order_shared_inline_and_numeric_cells_read_as_the_csv_would()
    {
        var bytes = UnitWorkbooks.Build(
        [
            (1, ["上级代码", "单位名称", new Inline("单位代码"), "类型"]),
            (2, [null, "洞头区", new Inline("QL"), "district"]),
            (3, ["QL", "区发展和改革局", "QL-FGJ", new Inline("Department")]),
            // A code typed as a number, and its parent too.
            (4, ["QL", new Inline("一零零一单位"), 1001, null]),
            (5, [1001, "下属科室", 1001.0 + 1, "other"]),
        ], withSecondSheet: true);

        var read = UnitList.ReadXlsx(bytes);

        Assert.True(read.IsValid, string.Join("；", read.Errors));
        Assert.Equal(
        [
            new UnitListEntry("QL", "洞头区", "district", null, "第 2 行"),
            new UnitListEntry("QL-FGJ", "区发展和改革局", "department", "QL", "第 3 行"),
            new UnitListEntry("1001", "一零零一单位", "other", "QL", "第 4 行"),
            new UnitListEntry("1002", "下属科室", "other", "1001", "第 5 行"),
        ], read.Units);
    }

    [Fact]
    public void Each_wrong_row_is_named_by_its_sheet_row_number_past_blank_rows()
    {
        var bytes = UnitWorkbooks.Build(
        [
            (2, ["代码", "名称", "类型", "上级"]),
            (3, ["QL", "洞头区", "district", null]),
            (7, ["QL-X", "错类型局", "planet", "QL"]),
            (9, ["QL-Y", null, "department", "QL"]),
            (10, ["QL", "重复的洞头区", "district", null]),
        ]);

        var read = UnitList.ReadXlsx(bytes);

        Assert.Equal(["第 7 行", "第 9 行", "第 10 行"], read.Errors.Select(error => error.Where));
        Assert.Contains("planet", read.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("名称", read.Errors[1].Message, StringComparison.Ordinal);
        Assert.Contains("重复", read.Errors[2].Message, StringComparison.Ordinal);
        Assert.Equal(["QL"], read.Units.Select(unit => unit.Code));
    }

    [Fact]
    public void A_sheet_without_code_and_name_headers_is_refused_on_its_header_row()
    {
        var read = UnitList.ReadXlsx(UnitWorkbooks.Build([(1, ["单位", "备注"]), (2, ["QL", "洞头区"])]));

        var error = Assert.Single(read.Errors);
        Assert.Equal("第 1 行", error.Where);
        Assert.Contains("单位代码", error.Message, StringComparison.Ordinal);
        Assert.Empty(read.Units);
    }

    [Theory]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04, 0, 0, 0 })]
    [InlineData(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 })]
    [InlineData(new byte[] { (byte)'c', (byte)'o', (byte)'d', (byte)'e' })]
    public void Bytes_that_are_no_workbook_give_one_chinese_reason(byte[] bytes)
    {
        var error = Assert.Single(UnitList.ReadXlsx(bytes).Errors);

        Assert.Equal("", error.Where);
        Assert.Contains(".xlsx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_template_has_the_header_the_reader_takes_and_lists_the_kinds()
    {
        var bytes = UnitListTemplate.Write([("district", "区"), ("department", "部门"), ("other", "其他")]);

        // Blank, it names no unit; its header is understood (else the error would name row 1).
        var error = Assert.Single(UnitList.ReadXlsx(bytes).Errors);
        Assert.Equal("", error.Where);
        Assert.Contains("没有列出任何单位", error.Message, StringComparison.Ordinal);

        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var workbook = document.WorkbookPart!;
        var sheets = workbook.Workbook.Sheets!.Elements<Sheet>().ToList();
        Assert.Equal(["单位清单", "填写说明"], sheets.Select(sheet => sheet.Name!.Value));
        var first = (WorksheetPart)workbook.GetPartById(sheets[0].Id!);
        Assert.Equal(UnitListTemplate.Header, first.Worksheet.Descendants<Cell>().Select(cell => cell.InnerText));
        var validation = first.Worksheet.Descendants<DataValidation>().Single();
        Assert.Equal("\"district,department,other\"", validation.Formula1!.Text);
        var help = ((WorksheetPart)workbook.GetPartById(sheets[1].Id!)).Worksheet.Descendants<Cell>().Select(cell => cell.InnerText).ToList();
        Assert.Contains("department", help);
        Assert.Contains("部门", help);

        var filled = UnitWorkbooks.Build([(1, [.. UnitListTemplate.Header]), (2, ["QL", "洞头区", "district"])]);
        Assert.True(UnitList.ReadXlsx(filled).IsValid);
    }
}

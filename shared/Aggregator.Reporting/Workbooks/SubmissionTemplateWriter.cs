using System.Globalization;
using Aggregator.Core.Forms;
using Aggregator.Reporting.Model;
using Aggregator.Reporting.Office;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Aggregator.Reporting.Workbooks;

/// <summary>Whom and which year a template is for; a unit given here is printed and cannot be changed in the workbook.</summary>
public sealed record SubmissionTemplateRequest(int Year, string? UnitCode = null, string? UnitName = null);

/// <summary>
/// Writes the Excel template a department fills in: a cover sheet (format, year, unit, how to fill it in), then one
/// sheet per section of the national tables in their printed layout (labels, merged headers, the printed 勾稽关系
/// note). Only the input cells are unlocked; each carries a defined name <c>agg_&lt;cell id&gt;</c> and data validation
/// for its type, and beside each total the form's rules define sits a formula with the total the parts give. A very
/// hidden sheet holds the format, the year, the unit and the map of cells, which <see cref="SubmissionWorkbookReader"/>
/// reads back.
/// </summary>
public static class SubmissionTemplateWriter
{
    /// <exception cref="ArgumentOutOfRangeException">The form does not cover <see cref="SubmissionTemplateRequest.Year"/>.</exception>
    public static byte[] Write(FormDefinition form, SubmissionTemplateRequest request)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(request);
        if (!form.ValidYears.Contains(request.Year))
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Year, $"Form {form.Id} does not cover the year {request.Year}.");
        }

        var unitCode = string.IsNullOrWhiteSpace(request.UnitCode) ? null : request.UnitCode.Trim();
        var unitName = string.IsNullOrWhiteSpace(request.UnitName) ? null : request.UnitName.Trim();
        var names = new List<DefinedName>();
        var cellMap = new List<(string CellId, string Sheet, string Reference, string? StatedUnit)>();
        var sheets = new List<(string Name, TemplateSheet Content, bool Hidden)>
        {
            (TemplateLayout.CoverSheet, Cover(form, request.Year, unitCode, unitName, names), false),
        };

        var totals = ExpectedTotals.Of(form);
        foreach (var section in form.Tables.Select(t => TableLayout.Build(t, _ => null)).GroupBy(t => t.SectionHeading))
        {
            var sheetName = SheetName(section.Key);
            var sheet = new TemplateSheet();
            TableSheet(form, request.Year, unitName, [.. section], totals, sheet);
            foreach (var (cellId, row, column, statedUnit) in sheet.InputCells)
            {
                names.Add(new DefinedName { Name = TemplateLayout.CellNamePrefix + cellId, Text = CellReferences.Qualified(sheetName, row, column) });
                cellMap.Add((cellId, sheetName, CellReferences.Of(row, column), statedUnit));
            }

            sheets.Add((sheetName, sheet, false));
        }

        sheets.Add((TemplateLayout.MetadataSheet, Metadata(form, request.Year, unitCode, unitName, cellMap), true));

        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            var sheetList = new Sheets();
            uint sheetId = 1;
            foreach (var (name, content, hidden) in sheets)
            {
                var part = workbookPart.AddNewPart<WorksheetPart>();
                part.Worksheet = content.ToWorksheet();
                sheetList.Append(new Sheet
                {
                    Id = workbookPart.GetIdOfPart(part),
                    SheetId = sheetId++,
                    Name = name,
                    // Very hidden: Excel's 取消隐藏 does not list it, so the map and metadata are not edited by accident.
                    State = hidden ? SheetStateValues.VeryHidden : null,
                });
            }

            workbookPart.Workbook = new Workbook(
                sheetList,
                new DefinedNames(names.OrderBy(n => n.Name!.Value, StringComparer.Ordinal)),
                new CalculationProperties { FullCalculationOnLoad = true });
            var stylesPart = workbookPart.AddNewPart<WorkbookStylesPart>();
            stylesPart.Stylesheet = TemplateStyles.Stylesheet();
            document.PackageProperties.Title = $"{request.Year}年度政府信息公开工作年度报告 报表模板（{form.Title}）";
            document.PackageProperties.Subject = $"{form.Id} {request.Year} {unitCode}".TrimEnd();
            workbookPart.Workbook.Save();
        }

        return stream.ToArray();
    }

    /// <summary>The file name a download offers: <c>报表模板-fmt_2021-2024-QL-FGJ.xlsx</c>.</summary>
    public static string FileName(FormDefinition form, SubmissionTemplateRequest request) =>
        string.Join('-', new[] { "报表模板", form.Id, request.Year.ToString(CultureInfo.InvariantCulture), request.UnitCode }
            .Where(p => !string.IsNullOrWhiteSpace(p))) + ".xlsx";

    internal static string SheetName(string sectionHeading)
    {
        var cleaned = new string([.. sectionHeading.Select(c => "[]:*?/\\'".Contains(c, StringComparison.Ordinal) ? ' ' : c)]).Trim();
        return cleaned.Length > 31 ? cleaned[..31] : cleaned;
    }

    private static TemplateSheet Cover(FormDefinition form, int year, string? unitCode, string? unitName, List<DefinedName> names)
    {
        var sheet = new TemplateSheet();
        sheet.Width(0, 14);
        sheet.Width(1, 60);
        sheet.Text(0, 0, $"{year}年度政府信息公开工作年度报告　报表模板", TemplateStyles.Title);
        sheet.Merge(0, 0, 0, 1);
        sheet.Text(1, 0, "表式", TemplateStyles.Header);
        sheet.Text(1, 1, $"{form.Title}（{form.Id}）", TemplateStyles.Label);
        sheet.Text(2, 0, "报告年度", TemplateStyles.Header);
        sheet.Text(2, 1, year.ToString(CultureInfo.InvariantCulture), TemplateStyles.Label);
        sheet.Text(3, 0, "填报单位", TemplateStyles.Header);
        sheet.Text(3, 1, unitName ?? string.Empty, unitName is null ? TemplateStyles.TextInput : TemplateStyles.Label);
        sheet.Text(4, 0, "单位代码", TemplateStyles.Header);
        sheet.Text(4, 1, unitCode ?? string.Empty, unitCode is null ? TemplateStyles.TextInput : TemplateStyles.Label);
        names.Add(new DefinedName { Name = TemplateLayout.UnitNameName, Text = CellReferences.Qualified(TemplateLayout.CoverSheet, 3, 1) });
        names.Add(new DefinedName { Name = TemplateLayout.UnitCodeName, Text = CellReferences.Qualified(TemplateLayout.CoverSheet, 4, 1) });

        string[] notes =
        [
            "填写说明",
            "1. 只能在浅黄色格子中填写数字，其余内容受保护。不填视为 0。",
            "2. 件数、项数填写不小于 0 的整数；“本年增/减”可填负数；金额以万元为单位，可填小数。",
            "3. 灰色格子是按各项计算出的合计，应与您填写的“总计”一致；不一致时，“总计”格显示为红色。",
            "4. 填好后在报送页面上传本文件（也可以先“只校验”），或用命令 aggregator validate / submit 提交。",
            "5. 本文件只用于上述表式、年度" + (unitCode is null ? "；请在上方填写单位代码。" : "和单位。"),
        ];
        for (var i = 0; i < notes.Length; i++)
        {
            sheet.Text(6 + i, 0, notes[i], i == 0 ? TemplateStyles.Title : TemplateStyles.Note);
            sheet.Merge(6 + i, 0, 6 + i, 1);
        }

        return sheet;
    }

    private static void TableSheet(
        FormDefinition form, int year, string? unitName, IReadOnlyList<TableModel> tables, IReadOnlyList<ExpectedTotal> totals, TemplateSheet sheet)
    {
        var width = tables.Max(t => PrintedGrid.Of(t).ColumnCount) + 1;
        var row = 0;
        TitleRow(tables[0].SectionHeading == form.Title ? form.Title : $"{year}年度　{tables[0].SectionHeading}");
        if (tables[0].Layout == TableLayout.List)
        {
            TitleRow($"（{year}年度）");
            TitleRow($"填报单位：{unitName}");
        }

        foreach (var table in tables)
        {
            if (table.BlockTitle is { Length: > 0 } block)
            {
                TitleRow(block);
            }

            row = PlaceTable(form, table, totals.Where(t => table.Rows.SelectMany(r => r.Cells).Any(c => c.Id == t.TargetId)).ToList(), sheet, row);
            if (table.PrintedNote is { Length: > 0 } note)
            {
                TitleRow(note);
            }

            row++;
        }

        // Group labels (（三）不予公开) are narrow columns that wrap, the row labels one wide column, numbers 12.
        var labelColumns = tables.Where(t => t.Layout == TableLayout.Grid).Select(t => PrintedGrid.Of(t).ColumnCount - t.Columns.Count).DefaultIfEmpty(0).Max();
        for (var c = 0; c < width; c++)
        {
            sheet.Width(c, tables[0].Layout == TableLayout.List ? (c == 0 ? 62 : c == 1 ? 8 : 16)
                : c < labelColumns - 1 ? 8
                : c == labelColumns - 1 ? 30
                : 12);
        }

        void TitleRow(string text)
        {
            sheet.Text(row, 0, text, TemplateStyles.Title);
            sheet.Merge(row, 0, row, Math.Max(width - 2, 0));
            row++;
        }
    }

    /// <summary>Places one table at <paramref name="top"/> and returns the first row below it.</summary>
    private static int PlaceTable(FormDefinition form, TableModel table, IReadOnlyList<ExpectedTotal> totals, TemplateSheet sheet, int top)
    {
        var grid = PrintedGrid.Of(table);
        var statedUnits = form.Tables.Single(t => t.Id == table.Id).Cells
            .Where(c => TemplateSheet.StatedUnit(c) is not null)
            .ToDictionary(c => c.ColumnLabel, c => TemplateSheet.StatedUnit(c)!, StringComparer.Ordinal);
        var positions = new Dictionary<string, (int Row, int Column)>(StringComparer.Ordinal);
        foreach (var cell in grid.Cells)
        {
            var row = top + cell.Row;
            if (cell.Value is { } value)
            {
                var definition = form.GetCell(value.Id);
                sheet.Input(row, cell.Column, definition);
                positions[value.Id] = (row, cell.Column);
            }
            else
            {
                var header = cell.Row < grid.HeaderRowCount || cell.Role == "group";
                var text = cell.Role == "column" && statedUnits.TryGetValue(cell.Text, out var unit) ? $"{cell.Text}（{unit}）" : cell.Text;
                sheet.Text(row, cell.Column, text, header ? TemplateStyles.Header : TemplateStyles.Label);
            }

            if (cell.RowSpan > 1 || cell.ColumnSpan > 1)
            {
                sheet.Merge(row, cell.Column, row + cell.RowSpan - 1, cell.Column + cell.ColumnSpan - 1);
            }
        }

        var bottom = top + grid.RowCount;
        var helperColumn = grid.ColumnCount;
        var helperRowUsed = false;
        var helperColumnUsed = false;
        foreach (var total in totals.Where(t => positions.ContainsKey(t.TargetId) && t.SourceIds.All(positions.ContainsKey)))
        {
            var target = positions[total.TargetId];
            var sources = total.SourceIds.Select(s => positions[s]).ToList();
            var sameRow = sources.All(s => s.Row == target.Row);
            // Row totals of a grid and every total of the one-column old form go to a column at the right, on the
            // total's own row; the other totals (（七）总计, table 四) to a row under the table, in the total's column.
            (int Row, int Column) at = table.Layout == TableLayout.List || (sameRow && table.Layout == TableLayout.Grid)
                ? (target.Row, helperColumn)
                : (bottom, target.Column);
            helperColumnUsed |= at.Column == helperColumn;
            helperRowUsed |= at.Row == bottom;
            var sum = $"SUM({string.Join(',', sources.Select(s => CellReferences.Of(s.Row, s.Column)))})";
            sheet.Formula(at.Row, at.Column, sum);
            sheet.Mismatch(target.Row, target.Column, $"AND(COUNT({string.Join(',', sources.Select(s => CellReferences.Of(s.Row, s.Column)))})>0,N({CellReferences.Of(target.Row, target.Column)})<>{sum})");
        }

        if (helperColumnUsed)
        {
            sheet.Text(top, helperColumn, table.Layout == TableLayout.List ? "按分项计算的合计" : "按各栏计算的总计", TemplateStyles.Header);
            if (grid.HeaderRowCount > 1)
            {
                sheet.Merge(top, helperColumn, top + grid.HeaderRowCount - 1, helperColumn);
            }
        }

        if (!helperRowUsed)
        {
            return bottom;
        }

        var labelColumns = table.Layout == TableLayout.Grid ? grid.ColumnCount - table.Columns.Count : 0;
        if (labelColumns > 0)
        {
            sheet.Text(bottom, 0, "按各项计算的总计", TemplateStyles.Header);
            if (labelColumns > 1)
            {
                sheet.Merge(bottom, 0, bottom, labelColumns - 1);
            }

            return bottom + 1;
        }

        sheet.Text(bottom + 1, 0, "（上一行灰色数字为按各项计算的总计，应与“总计”一致。）", TemplateStyles.Note);
        sheet.Merge(bottom + 1, 0, bottom + 1, Math.Max(grid.ColumnCount - 1, 0));
        return bottom + 2;
    }

    private static TemplateSheet Metadata(
        FormDefinition form, int year, string? unitCode, string? unitName, List<(string CellId, string Sheet, string Reference, string? StatedUnit)> cellMap)
    {
        var sheet = new TemplateSheet();
        (string Key, string Value)[] entries =
        [
            (TemplateLayout.TemplateKey, TemplateLayout.Marker),
            (TemplateLayout.VersionKey, TemplateLayout.Version),
            (TemplateLayout.FormatKey, form.Id),
            (TemplateLayout.YearKey, year.ToString(CultureInfo.InvariantCulture)),
            (TemplateLayout.UnitCodeKey, unitCode ?? string.Empty),
            (TemplateLayout.UnitNameKey, unitName ?? string.Empty),
        ];
        var row = 0;
        foreach (var (key, value) in entries)
        {
            sheet.Text(row, 0, key, TemplateStyles.Label);
            sheet.Text(row++, 1, value, TemplateStyles.Label);
        }

        row++;
        sheet.Text(row, 0, "cell_id", TemplateStyles.Header);
        sheet.Text(row, 1, "sheet", TemplateStyles.Header);
        sheet.Text(row, 2, "reference", TemplateStyles.Header);
        sheet.Text(row++, 3, "stated_unit", TemplateStyles.Header);
        foreach (var (cellId, sheetName, reference, statedUnit) in cellMap)
        {
            sheet.Text(row, 0, cellId, TemplateStyles.Label);
            sheet.Text(row, 1, sheetName, TemplateStyles.Label);
            sheet.Text(row, 2, reference, TemplateStyles.Label);
            sheet.Text(row++, 3, statedUnit ?? string.Empty, TemplateStyles.Label);
        }

        return sheet;
    }
}

using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Aggregator.Application.Units;

/// <summary>
/// The blank unit list the office downloads: a first sheet with the header row <see cref="UnitList.ReadXlsx"/> reads
/// (the 类型 column offering the kinds as a drop-down) and a second sheet listing the kinds and what each column takes.
/// </summary>
public static class UnitListTemplate
{
    public const string FileName = "单位清单模板.xlsx";

    public static readonly IReadOnlyList<string> Header = ["单位代码", "单位名称", "类型", "上级代码"];

    /// <param name="kinds">Each kind code with its Chinese name, in the order to list them.</param>
    public static byte[] Write(IReadOnlyList<(string Kind, string Label)> kinds)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook(new Sheets());
            var styles = workbook.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = Styles();

            var list = Sheet(workbook, "单位清单", [[.. Header]], [20, 30, 14, 20]);
            list.Worksheet.GetFirstChild<SheetViews>()!.GetFirstChild<SheetView>()!.Append(new Pane
            {
                VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen,
            });
            // A drop-down of the kind codes for the 类型 column; the reader also checks them.
            list.Worksheet.Append(new DataValidations(new DataValidation(new Formula1($"\"{string.Join(",", kinds.Select(k => k.Kind))}\""))
            {
                Type = DataValidationValues.List, AllowBlank = true, ShowErrorMessage = true, ErrorTitle = "类型不正确",
                Error = "请从下拉列表中选择单位类型。", SequenceOfReferences = new ListValue<StringValue> { InnerText = "C2:C10000" },
            })
            { Count = 1 });

            string?[][] help =
            [
                ["列", "说明"],
                ["单位代码", "必填：1–64 个字母、数字、“_”“-”或“.”，以字母或数字开头，如 QL-FGJ"],
                ["单位名称", "必填，如 区发展和改革局"],
                ["类型", "选填（空为 other），填下表中的代码"],
                ["上级代码", "选填：上级单位的代码（清单中或已登记）；空为根单位"],
                [],
                ["类型代码", "含义"],
                .. kinds.Select(k => new string?[] { k.Kind, k.Label }),
            ];
            Sheet(workbook, "填写说明", help, [14, 70]);
            workbook.Workbook.Save();
        }

        return stream.ToArray();
    }

    private static WorksheetPart Sheet(WorkbookPart workbook, string name, string?[][] rows, double[] widths)
    {
        var part = workbook.AddNewPart<WorksheetPart>();
        var data = new SheetData();
        for (var r = 0; r < rows.Length; r++)
        {
            var row = new Row { RowIndex = (uint)(r + 1) };
            for (var c = 0; c < rows[r].Length; c++)
            {
                row.Append(new Cell
                {
                    CellReference = $"{(char)('A' + c)}{r + 1}",
                    DataType = CellValues.InlineString,
                    InlineString = new InlineString(new Text(rows[r][c] ?? "")),
                    StyleIndex = r == 0 || rows[r] is ["类型代码", ..] ? 1U : 0U,
                });
            }

            data.Append(row);
        }

        part.Worksheet = new Worksheet(
            new SheetViews(new SheetView { WorkbookViewId = 0 }),
            new Columns(widths.Select((width, i) => new Column { Min = (uint)(i + 1), Max = (uint)(i + 1), Width = width, CustomWidth = true })),
            data);
        var sheets = workbook.Workbook.Sheets!;
        sheets.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = (uint)(sheets.Count() + 1), Name = name });
        return part;
    }

    private static Stylesheet Styles() => new(
        new Fonts(new Font(), new Font(new Bold())) { Count = 2 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(new Border()) { Count = 1 },
        new CellFormats(new CellFormat(), new CellFormat { FontId = 1, ApplyFont = true }) { Count = 2 });
}

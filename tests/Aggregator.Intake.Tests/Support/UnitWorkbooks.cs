using System.Globalization;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Aggregator.Intake.Tests.Support;

/// <summary>A text cell written as an inline string instead of a shared one, as some tools write them.</summary>
public sealed record Inline(string Text);

/// <summary>Unit lists as .xlsx workbooks the way Excel and other tools write them: shared strings, inline strings, numbers.</summary>
public static class UnitWorkbooks
{
    /// <param name="rows">Sheet row number → cells from column A; a string is shared, <see cref="Inline"/> inline, a number a number, null no cell.</param>
    public static byte[] Build(IReadOnlyList<(uint Row, object?[] Cells)> rows, bool withSecondSheet = false)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, DocumentFormat.OpenXml.SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook(new Sheets());
            var shared = workbook.AddNewPart<SharedStringTablePart>();
            shared.SharedStringTable = new SharedStringTable();
            var strings = new List<string>();
            AddSheet(workbook, "单位", rows, strings);
            if (withSecondSheet)
            {
                AddSheet(workbook, "其他", [(1, ["这一页", "不读"])], strings);
            }

            // A rich-text string split into runs, as Excel stores text with mixed formatting.
            foreach (var text in strings)
            {
                shared.SharedStringTable.Append(text.Length > 2
                    ? new SharedStringItem(new Run(new Text(text[..2])), new Run(new RunProperties(new Bold()), new Text(text[2..])))
                    : new SharedStringItem(new Text(text)));
            }

            workbook.Workbook.Save();
        }

        return stream.ToArray();
    }

    private static void AddSheet(WorkbookPart workbook, string name, IReadOnlyList<(uint Row, object?[] Cells)> rows, List<string> strings)
    {
        var part = workbook.AddNewPart<WorksheetPart>();
        var data = new SheetData();
        foreach (var (index, cells) in rows)
        {
            var row = new Row { RowIndex = index };
            for (var c = 0; c < cells.Length; c++)
            {
                var reference = $"{(char)('A' + c)}{index}";
                switch (cells[c])
                {
                    case null:
                        break;
                    case Inline inline:
                        row.Append(new Cell { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(inline.Text)) });
                        break;
                    case string text:
                        strings.Add(text);
                        row.Append(new Cell { CellReference = reference, DataType = CellValues.SharedString, CellValue = new CellValue((strings.Count - 1).ToString(CultureInfo.InvariantCulture)) });
                        break;
                    case IFormattable number:
                        row.Append(new Cell { CellReference = reference, CellValue = new CellValue(number.ToString(null, CultureInfo.InvariantCulture)) });
                        break;
                }
            }

            data.Append(row);
        }

        part.Worksheet = new Worksheet(data);
        var sheets = workbook.Workbook.Sheets!;
        sheets.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = (uint)(sheets.Count() + 1), Name = name });
    }
}

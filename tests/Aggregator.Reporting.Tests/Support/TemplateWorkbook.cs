using System.Globalization;
using Aggregator.Core.Values;
using Aggregator.Reporting.Workbooks;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Aggregator.Reporting.Tests.Support;

/// <summary>
/// A generated template opened for editing as a department's spreadsheet program would: cells typed through their
/// defined names, sheets renamed or reordered, labels rewritten, cells moved with their names.
/// </summary>
public sealed class TemplateWorkbook : IDisposable
{
    private readonly MemoryStream _stream;
    private readonly SpreadsheetDocument _document;

    public TemplateWorkbook(byte[] template)
    {
        _stream = new MemoryStream();
        _stream.Write(template);
        _document = SpreadsheetDocument.Open(_stream, true);
    }

    public WorkbookPart WorkbookPart => _document.WorkbookPart!;

    public IEnumerable<Sheet> Sheets => WorkbookPart.Workbook.Sheets!.Elements<Sheet>();

    /// <summary>Types every value into the cell its defined name points at: numbers as numbers, text as text.</summary>
    public TemplateWorkbook Fill(IReadOnlyDictionary<string, SubmittedValue> values)
    {
        foreach (var (cellId, value) in values)
        {
            var cell = NamedCell(TemplateLayout.CellNamePrefix + cellId);
            if (value.Number is { } number)
            {
                SetNumber(cell, number);
            }
            else if (value.Text is { } text)
            {
                SetText(cell, text);
            }
        }

        return this;
    }

    public Cell NamedCell(string name)
    {
        var (part, reference) = Target(name);
        return CellAt(part, reference);
    }

    public (WorksheetPart Part, string Reference) Target(string name)
    {
        var text = Names().Single(n => n.Name!.Value == name).Text;
        var bang = text.LastIndexOf('!');
        var sheetName = text[..bang].Trim('\'').Replace("''", "'", StringComparison.Ordinal);
        return (Part(sheetName), text[(bang + 1)..].Replace("$", string.Empty, StringComparison.Ordinal));
    }

    public WorksheetPart Part(string sheetName) =>
        (WorksheetPart)WorkbookPart.GetPartById(Sheets.Single(s => s.Name!.Value == sheetName).Id!.Value!);

    public IEnumerable<DefinedName> Names() => WorkbookPart.Workbook.DefinedNames!.Elements<DefinedName>();

    public static Cell CellAt(WorksheetPart part, string reference)
    {
        var existing = part.Worksheet.Descendants<Cell>().SingleOrDefault(c => c.CellReference!.Value == reference);
        if (existing is not null)
        {
            return existing;
        }

        var rowIndex = uint.Parse(reference.TrimStart((char[])[.. Enumerable.Range('A', 26).Select(i => (char)i)]), CultureInfo.InvariantCulture);
        var data = part.Worksheet.GetFirstChild<SheetData>()!;
        var row = data.Elements<Row>().SingleOrDefault(r => r.RowIndex!.Value == rowIndex)
            ?? data.AppendChild(new Row { RowIndex = rowIndex });
        return row.AppendChild(new Cell { CellReference = reference });
    }

    public static void SetNumber(Cell cell, decimal number)
    {
        cell.DataType = null;
        cell.InlineString = null;
        cell.CellValue = new CellValue(number.ToString(CultureInfo.InvariantCulture));
    }

    public static void SetText(Cell cell, string text)
    {
        cell.CellValue = null;
        cell.DataType = CellValues.InlineString;
        cell.InlineString = new InlineString(new Text(text));
    }

    /// <summary>Renames a sheet the way Excel does: its name and every defined name that points into it.</summary>
    public void RenameSheet(string from, string to)
    {
        Sheets.Single(s => s.Name!.Value == from).Name = to;
        var quotedFrom = "'" + from.Replace("'", "''", StringComparison.Ordinal) + "'!";
        foreach (var name in Names().Where(n => n.Text.StartsWith(quotedFrom, StringComparison.Ordinal)))
        {
            name.Text = "'" + to + "'!" + name.Text[quotedFrom.Length..];
        }
    }

    public void ReverseSheetOrder()
    {
        var sheets = WorkbookPart.Workbook.Sheets!;
        var all = sheets.Elements<Sheet>().ToList();
        foreach (var sheet in all)
        {
            sheet.Remove();
        }

        all.Reverse();
        foreach (var sheet in all)
        {
            sheets.Append(sheet);
        }
    }

    /// <summary>Swaps two input cells' places, values and names moving together, as cutting and pasting rows does.</summary>
    public void SwapCells(string firstCellId, string secondCellId)
    {
        var first = Names().Single(n => n.Name!.Value == TemplateLayout.CellNamePrefix + firstCellId);
        var second = Names().Single(n => n.Name!.Value == TemplateLayout.CellNamePrefix + secondCellId);
        var firstCell = NamedCell(first.Name!.Value!);
        var secondCell = NamedCell(second.Name!.Value!);
        var firstValue = firstCell.CellValue?.Text;
        var secondValue = secondCell.CellValue?.Text;
        firstCell.CellValue = secondValue is null ? null : new CellValue(secondValue);
        secondCell.CellValue = firstValue is null ? null : new CellValue(firstValue);
        (first.Text, second.Text) = (second.Text, first.Text);
    }

    public byte[] Save()
    {
        _document.Dispose();
        return _stream.ToArray();
    }

    public void Dispose()
    {
        _document.Dispose();
        _stream.Dispose();
    }
}

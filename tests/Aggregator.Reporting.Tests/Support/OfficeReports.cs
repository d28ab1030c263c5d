using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace Aggregator.Reporting.Tests.Support;

/// <summary>A Word report read back with the Open XML SDK: its paragraphs, tables, fonts, page setup and footer.</summary>
public sealed class WordReport
{
    private WordReport(W.Body body, IReadOnlyList<string> footers)
    {
        Body = body;
        Footers = footers;
    }

    public W.Body Body { get; }

    /// <summary>Each footer's field instructions and text.</summary>
    public IReadOnlyList<string> Footers { get; }

    public IReadOnlyList<string> Paragraphs => [.. Body.Elements<W.Paragraph>().Select(p => p.InnerText)];

    public IReadOnlyList<W.Table> Tables => [.. Body.Elements<W.Table>()];

    public static WordReport Read(byte[] file)
    {
        using var document = WordprocessingDocument.Open(new MemoryStream(file), false);
        var main = document.MainDocumentPart!;
        var body = (W.Body)main.Document!.Body!.CloneNode(true);
        var footers = main.FooterParts
            .Select(f => string.Join(" ", f.Footer!.Descendants<W.SimpleField>().Select(s => s.Instruction?.Value)) + "|" + f.Footer.InnerText)
            .ToList();
        return new WordReport(body, footers);
    }

    /// <summary>The text of each cell of a table row.</summary>
    public static IReadOnlyList<string> CellTexts(W.TableRow row) => [.. row.Elements<W.TableCell>().Select(c => c.InnerText)];
}

/// <summary>An Excel report read back with the Open XML SDK.</summary>
public sealed class Workbook
{
    private readonly Dictionary<string, Sheet> _sheets;

    private Workbook(IReadOnlyList<string> names, Dictionary<string, Sheet> sheets)
    {
        Names = names;
        _sheets = sheets;
    }

    public IReadOnlyList<string> Names { get; }

    public Sheet this[string name] => _sheets[name];

    public static Workbook Read(byte[] file)
    {
        using var document = SpreadsheetDocument.Open(new MemoryStream(file), false);
        var part = document.WorkbookPart!;
        var stylesheet = part.WorkbookStylesPart!.Stylesheet!;
        var formats = stylesheet.CellFormats!.Elements<CellFormat>().ToList();
        var custom = stylesheet.NumberingFormats?.Elements<NumberingFormat>()
            .ToDictionary(f => f.NumberFormatId!.Value, f => f.FormatCode!.Value!) ?? [];
        var names = new List<string>();
        var sheets = new Dictionary<string, Sheet>(StringComparer.Ordinal);
        foreach (var sheet in part.Workbook!.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>())
        {
            var worksheet = ((WorksheetPart)part.GetPartById(sheet.Id!)).Worksheet!;
            var cells = worksheet.Descendants<Cell>().ToDictionary(
                c => c.CellReference!.Value!,
                c =>
                {
                    var formatId = c.StyleIndex is null ? 0u : formats[(int)c.StyleIndex.Value].NumberFormatId?.Value ?? 0u;
                    var numberFormat = custom.TryGetValue(formatId, out var code) ? code : formatId == 1 ? "0" : "General";
                    var isNumber = c.DataType is null || c.DataType.Value == CellValues.Number;
                    var text = c.InlineString?.InnerText ?? c.CellValue?.Text ?? string.Empty;
                    return new SheetCell(text, isNumber && c.CellValue is not null, numberFormat);
                },
                StringComparer.Ordinal);
            var merges = worksheet.Descendants<MergeCell>().Select(m => m.Reference!.Value!).ToList();
            names.Add(sheet.Name!.Value!);
            sheets[sheet.Name!.Value!] = new Sheet(cells, merges);
        }

        return new Workbook(names, sheets);
    }

    public sealed record Sheet(IReadOnlyDictionary<string, SheetCell> Cells, IReadOnlyList<string> Merges)
    {
        public IEnumerable<(string Reference, SheetCell Cell)> Numbers =>
            Cells.Where(c => c.Value.IsNumber).Select(c => (c.Key, c.Value));

        public string? Find(string text) => Cells.Where(c => c.Value.Text == text).Select(c => c.Key).FirstOrDefault();
    }

    /// <param name="IsNumber">Stored as a number (no string type, a value present).</param>
    /// <param name="NumberFormat">The cell's number format code (0, 0.00"万元", General).</param>
    public sealed record SheetCell(string Text, bool IsNumber, string NumberFormat);

    /// <summary>The row and column (both from 0) of a cell reference (C5 → (4, 2)).</summary>
    public static (int Row, int Column) Position(string reference)
    {
        var letters = new string([.. reference.TakeWhile(char.IsLetter)]);
        var column = letters.Aggregate(0, (n, c) => (n * 26) + (c - 'A' + 1)) - 1;
        return (int.Parse(reference[letters.Length..], System.Globalization.CultureInfo.InvariantCulture) - 1, column);
    }
}

using System.Globalization;
using System.IO.Packaging;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Aggregator.Application.Units;

public static partial class UnitList
{
    /// <summary>
    /// Reads the first sheet of an .xlsx workbook: the first non-empty row is the header (the CSV's column names or
    /// 单位代码/单位名称/类型/上级代码, in any order), each later row a unit, named by its sheet row number. Codes typed
    /// as numbers (1001) are read as the digits Excel shows, not as 1001.0.
    /// </summary>
    public static UnitListRead ReadXlsx(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            using var document = SpreadsheetDocument.Open(stream, false);
            return ReadFirstSheet(document);
        }
        catch (Exception exception) when (exception is OpenXmlPackageException or InvalidDataException or FileFormatException or IOException
            or InvalidOperationException or System.Xml.XmlException)
        {
            return new UnitListRead([], [new UnitListError("", "不是有效的 Excel 工作簿（.xlsx）；旧版 .xls 请在 Excel 中另存为 .xlsx")]);
        }
    }

    private static UnitListRead ReadFirstSheet(SpreadsheetDocument document)
    {
        var workbook = document.WorkbookPart;
        var first = workbook?.Workbook?.Sheets?.Elements<Sheet>().FirstOrDefault();
        if (workbook is null || first?.Id?.Value is not { } id || !workbook.TryGetPartById(id, out var part) || part is not WorksheetPart sheet)
        {
            return new UnitListRead([], [new UnitListError("", "工作簿中没有工作表")]);
        }

        var strings = workbook.SharedStringTablePart?.SharedStringTable?.Elements<SharedStringItem>().Select(TextOf).ToList() ?? [];
        int[]? positions = null;
        var rows = new List<(string, string?[])>();
        var errors = new List<UnitListError>();
        long rowNumber = 0;
        // Row by row, so that a huge sheet is refused at the limit instead of being loaded whole.
        using var reader = OpenXmlReader.Create(sheet);
        while (reader.Read())
        {
            if (reader.ElementType != typeof(Row) || !reader.IsStartElement)
            {
                continue;
            }

            var row = (Row)reader.LoadCurrentElement()!;
            rowNumber = row.RowIndex?.Value is { } index ? index : rowNumber + 1;
            var fields = FieldsOf(row, strings);
            if (fields.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            if (positions is null)
            {
                positions = Positions(fields);
                if (positions[0] < 0 || positions[1] < 0)
                {
                    return new UnitListRead([], [HeaderError(rowNumber, fields.Where(f => !string.IsNullOrWhiteSpace(f)))]);
                }

                continue;
            }

            if (rows.Count >= MaxXlsxRows)
            {
                return new UnitListRead([], [new UnitListError("", $"超过 {MaxXlsxRows} 行，请分批导入")]);
            }

            rows.Add(($"第 {rowNumber} 行", [.. positions.Select(p => p >= 0 && p < fields.Count ? fields[p] : null)]));
        }

        return positions is null ? new UnitListRead([], [new UnitListError("", "第一个工作表是空的，应有表头 单位代码,单位名称,类型,上级代码")]) : Check(rows, errors);
    }

    /// <summary>The row's values by column (A = 0); a cell without a reference takes the column after the previous one.</summary>
    private static List<string?> FieldsOf(Row row, List<string> strings)
    {
        var fields = new List<string?>();
        foreach (var cell in row.Elements<Cell>())
        {
            var column = cell.CellReference?.Value is { } reference ? ColumnOf(reference) : fields.Count;
            if (column < 0 || column > 255)
            {
                continue;
            }

            while (fields.Count <= column)
            {
                fields.Add(null);
            }

            fields[column] = ValueOf(cell, strings);
        }

        return fields;
    }

    private static string? ValueOf(Cell cell, List<string> strings)
    {
        var raw = cell.CellValue?.Text;
        var type = cell.DataType?.Value;
        if (type == CellValues.InlineString)
        {
            return cell.InlineString is { } inline ? TextOf(inline) : null;
        }

        if (type == CellValues.SharedString)
        {
            return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < strings.Count ? strings[index] : null;
        }

        if (type == CellValues.Boolean)
        {
            return raw == "1" ? "TRUE" : "FALSE";
        }

        if ((type is null || type == CellValues.Number)
            && double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && number == Math.Floor(number) && Math.Abs(number) < 1e15)
        {
            // A code typed as a number: 1001 may be stored as "1001" or "1.001E3".
            return number.ToString("0", CultureInfo.InvariantCulture);
        }

        return raw;
    }

    /// <summary>The text of a shared or inline string: its plain text or its runs, without the phonetic (furigana) runs.</summary>
    private static string TextOf(OpenXmlElement item) =>
        item.GetFirstChild<Text>()?.Text ?? string.Concat(item.Elements<Run>().Select(run => run.Text?.Text));

    private static int ColumnOf(string reference)
    {
        var column = 0;
        var letters = 0;
        foreach (var c in reference)
        {
            if (!char.IsAsciiLetter(c))
            {
                break;
            }

            column = (column * 26) + (char.ToUpperInvariant(c) - 'A' + 1);
            letters++;
        }

        return letters is 0 or > 3 ? -1 : column - 1;
    }
}

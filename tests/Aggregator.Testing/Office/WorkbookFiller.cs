using System.Globalization;
using Aggregator.Core.Values;
using Aggregator.Reporting.Workbooks;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Aggregator.Testing.Office;

/// <summary>Types a document's values into a downloaded template, each into the cell its defined name points at.</summary>
public static class WorkbookFiller
{
    public static byte[] Fill(byte[] template, IReadOnlyDictionary<string, SubmittedValue> values)
    {
        using var stream = new MemoryStream();
        stream.Write(template);
        using (var document = SpreadsheetDocument.Open(stream, true))
        {
            var workbook = document.WorkbookPart!;
            var names = workbook.Workbook.DefinedNames!.Elements<DefinedName>().ToDictionary(n => n.Name!.Value!, n => n.Text, StringComparer.Ordinal);
            foreach (var (cellId, value) in values)
            {
                var target = names[TemplateLayout.CellNamePrefix + cellId];
                var bang = target.LastIndexOf('!');
                var sheetName = target[..bang].Trim('\'').Replace("''", "'", StringComparison.Ordinal);
                var reference = target[(bang + 1)..].Replace("$", string.Empty, StringComparison.Ordinal);
                var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == sheetName);
                var cell = ((WorksheetPart)workbook.GetPartById(sheet.Id!.Value!)).Worksheet.Descendants<Cell>().Single(c => c.CellReference == reference);
                if (value.Number is { } number)
                {
                    cell.CellValue = new CellValue(number.ToString(CultureInfo.InvariantCulture));
                }
                else if (value.Text is { } text)
                {
                    cell.DataType = CellValues.InlineString;
                    cell.InlineString = new InlineString(new Text(text));
                }
            }
        }

        return stream.ToArray();
    }
}

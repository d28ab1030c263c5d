using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Aggregator.Import.Tests.Support;

/// <summary>
/// Builds a .docx from a report's text as kept under Reports/: plain lines are paragraphs; between <c>[table …]</c>
/// and <c>[/table]</c> each line is a row of TAB-separated cells, where <c>{n}</c> spans n grid columns, <c>{^}</c>
/// continues the cell above (a vertical merge) and <c>\n</c> breaks a cell into paragraphs. Cell text is kept as is
/// (U+3000 and NBSP padding, units).
/// </summary>
internal static class ReportDocx
{
    public static byte[] FromText(string text)
    {
        var blocks = new List<OpenXmlElement>();
        List<List<(int Span, bool Continued, string Text)>>? rows = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("[table", StringComparison.Ordinal))
            {
                rows = [];
            }
            else if (line == "[/table]")
            {
                blocks.Add(Table(rows!));
                rows = null;
            }
            else if (rows is not null && line.StartsWith('\t'))
            {
                rows.Add([.. line[1..].Split('\t').Select(ParseCell)]);
            }
            else if (line.Length > 0)
            {
                blocks.Add(Paragraph(line));
            }
        }

        return Build(blocks);
    }

    public static byte[] Build(IEnumerable<OpenXmlElement> blocks)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            main.Document = new Document(new Body(blocks));
            main.Document.Save();
        }

        return stream.ToArray();
    }

    public static Paragraph Paragraph(string text)
    {
        // The seed texts show Word's bookmarks as [bookmark: name]; they are elements, not text, in the document.
        const string bookmark = "[bookmark: ";
        var paragraph = new Paragraph();
        if (text.StartsWith(bookmark, StringComparison.Ordinal) && text.IndexOf(']', StringComparison.Ordinal) is var end and > 0)
        {
            var name = text[bookmark.Length..end];
            paragraph.Append(new BookmarkStart { Id = "0", Name = name }, new BookmarkEnd { Id = "0" });
            text = text[(end + 1)..];
        }

        paragraph.Append(new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
        return paragraph;
    }

    public static Table Table(IReadOnlyList<IReadOnlyList<(int Span, bool Continued, string Text)>> rows)
    {
        var width = rows.Max(r => r.Sum(c => c.Span));
        var table = new Table(
            new TableProperties(new TableBorders(new InsideHorizontalBorder { Val = BorderValues.Single }, new InsideVerticalBorder { Val = BorderValues.Single })),
            new TableGrid(Enumerable.Range(0, width).Select(_ => new GridColumn { Width = "900" })));
        Dictionary<int, TableCell> previous = [];
        foreach (var row in rows)
        {
            var tableRow = new TableRow();
            var current = new Dictionary<int, TableCell>();
            var column = 0;
            foreach (var (span, continued, text) in row)
            {
                var properties = new TableCellProperties();
                if (span > 1)
                {
                    properties.Append(new GridSpan { Val = span });
                }

                if (continued)
                {
                    properties.Append(new VerticalMerge());
                    if (previous.TryGetValue(column, out var above) && above.TableCellProperties!.VerticalMerge is null)
                    {
                        above.TableCellProperties.Append(new VerticalMerge { Val = MergedCellValues.Restart });
                    }
                }

                var cell = new TableCell(properties);
                cell.Append(continued ? [new Paragraph()] : text.Split("\\n").Select(Paragraph));
                tableRow.Append(cell);
                current[column] = cell;
                column += span;
            }

            table.Append(tableRow);
            previous = current;
        }

        return table;
    }

    private static (int Span, bool Continued, string Text) ParseCell(string cell)
    {
        var continued = cell.StartsWith("{^}", StringComparison.Ordinal);
        if (continued)
        {
            cell = cell[3..];
        }

        var span = 1;
        if (cell.StartsWith('{') && cell.IndexOf('}', StringComparison.Ordinal) is var close and > 0)
        {
            span = int.Parse(cell.AsSpan(1, close - 1), System.Globalization.CultureInfo.InvariantCulture);
            cell = cell[(close + 1)..];
        }

        return (span, continued, cell);
    }
}

using System.Xml;
using System.Xml.Linq;

namespace Aggregator.Reporting.Tests.Support;

/// <summary>
/// A rendered HTML report read back as a document. The templates write well-formed XHTML-style markup, so a strict
/// XML parser both checks that nothing broke the markup and gives the tests the text a browser would show.
/// </summary>
public sealed class HtmlReport
{
    private static readonly XmlReaderSettings Settings = new() { DtdProcessing = DtdProcessing.Ignore };

    private HtmlReport(XDocument document) => Document = document;

    public XDocument Document { get; }

    public static HtmlReport Parse(string html)
    {
        using var reader = XmlReader.Create(new StringReader(html), Settings);
        return new HtmlReport(XDocument.Load(reader));
    }

    /// <summary>The text of the whole body, as a reader sees it.</summary>
    public string BodyText => Document.Descendants("body").Single().Value;

    public XElement ById(string id) =>
        Document.Descendants().SingleOrDefault(e => (string?)e.Attribute("id") == id)
            ?? throw new KeyNotFoundException($"No element with id '{id}'.");

    public IEnumerable<XElement> Paragraphs(string sectionId) => ById(sectionId).Elements("p");

    /// <summary>The table with this id, its merged cells spread over every position they cover.</summary>
    public HtmlTableGrid Table(string id) => HtmlTableGrid.Read(ById(id));
}

/// <summary>A table's header and body as grids of cell texts, row and column spans expanded.</summary>
public sealed class HtmlTableGrid
{
    private HtmlTableGrid(List<List<GridEntry>> header, List<List<GridEntry>> body)
    {
        Header = header;
        Body = body;
    }

    public IReadOnlyList<IReadOnlyList<GridEntry>> Header { get; }

    public IReadOnlyList<IReadOnlyList<GridEntry>> Body { get; }

    public static HtmlTableGrid Read(XElement table) =>
        new(Expand(table.Elements("thead").Elements("tr")), Expand(table.Elements("tbody").Elements("tr")));

    /// <summary>The body cell in the row labelled <paramref name="rowLabel"/> and the column headed <paramref name="columnPath"/>
    /// (the header texts from top to bottom, e.g. 行政诉讼 / 复议后起诉 / 总计, any leading part may be left out).</summary>
    public string Cell(string rowLabel, params string[] columnPath)
    {
        var rows = Body.Where(r => r.Any(e => e.IsHeader && e.Text == rowLabel)).ToList();
        Assert.True(rows.Count == 1, $"expected one row labelled '{rowLabel}', found {rows.Count}");
        var column = Column(columnPath);
        return rows[0][column].Text;
    }

    public int Column(params string[] columnPath)
    {
        var width = Header.Max(r => r.Count);
        var matches = Enumerable.Range(0, width)
            .Where(c =>
            {
                var texts = Header.Select(r => c < r.Count ? r[c].Text : string.Empty).Distinct().ToList();
                return texts.Count >= columnPath.Length && texts[^columnPath.Length..].SequenceEqual(columnPath);
            })
            .ToList();
        Assert.True(matches.Count == 1, $"expected one column headed '{string.Join(" / ", columnPath)}', found {matches.Count}");
        return matches[0];
    }

    private static List<List<GridEntry>> Expand(IEnumerable<XElement> rows)
    {
        var grid = new List<List<GridEntry>>();
        var pending = new Dictionary<(int Row, int Column), GridEntry>();
        var rowIndex = 0;
        foreach (var row in rows)
        {
            var line = new List<GridEntry>();
            var column = 0;
            foreach (var cell in row.Elements().Where(e => e.Name == "th" || e.Name == "td"))
            {
                while (pending.Remove((rowIndex, column), out var spanned))
                {
                    line.Add(spanned);
                    column++;
                }

                var entry = new GridEntry(cell.Value, cell.Name == "th");
                var rowSpan = (int?)cell.Attribute("rowspan") ?? 1;
                var colSpan = (int?)cell.Attribute("colspan") ?? 1;
                for (var c = 0; c < colSpan; c++)
                {
                    line.Add(entry);
                    for (var r = 1; r < rowSpan; r++)
                    {
                        pending[(rowIndex + r, column + c)] = entry;
                    }
                }

                column += colSpan;
            }

            while (pending.Remove((rowIndex, column), out var trailing))
            {
                line.Add(trailing);
                column++;
            }

            grid.Add(line);
            rowIndex++;
        }

        Assert.Empty(pending);
        return grid;
    }
}

/// <summary>A grid position: the text of the cell covering it, and whether that cell is a heading (th).</summary>
public sealed record GridEntry(string Text, bool IsHeader);

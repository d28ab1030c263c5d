using System.Text;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Aggregator.Import;

/// <summary>One cell of a Word table placed on the table's grid.</summary>
/// <param name="Continued">A vertically merged continuation: it repeats the text of the cell above and holds no value of its own.</param>
internal sealed record GridCell(int Row, int Column, int Span, string Text, bool Continued)
{
    public int LastColumn => Column + Span - 1;

    public bool Overlaps(int column, int span) => Column <= column + span - 1 && column <= LastColumn;
}

/// <summary>A Word table as rows of grid-placed cells, with horizontal spans and vertical merges resolved.</summary>
internal sealed class WordGrid
{
    private WordGrid(IReadOnlyList<IReadOnlyList<GridCell>> rows) => Rows = rows;

    public IReadOnlyList<IReadOnlyList<GridCell>> Rows { get; }

    public static WordGrid From(Table table)
    {
        var rows = new List<IReadOnlyList<GridCell>>();
        foreach (var row in table.Elements<TableRow>())
        {
            var cells = new List<GridCell>();
            var column = row.TableRowProperties?.GetFirstChild<GridBefore>()?.Val?.Value ?? 0;
            foreach (var cell in row.Elements<TableCell>())
            {
                var properties = cell.TableCellProperties;
                var span = Math.Max(1, properties?.GridSpan?.Val?.Value ?? 1);
                var merge = properties?.VerticalMerge;
                var continued = merge is not null && (merge.Val is null || merge.Val.Value == MergedCellValues.Continue);
                var text = continued ? TextAbove(rows, column) : CellText(cell);
                cells.Add(new GridCell(rows.Count, column, span, text, continued));
                column += span;
            }

            rows.Add(cells);
        }

        return new WordGrid(rows);
    }

    /// <summary>The text of a cell: its paragraphs joined by line breaks, tabs and breaks kept as whitespace.</summary>
    public static string CellText(TableCell cell) =>
        string.Join('\n', cell.Elements<Paragraph>().Select(ParagraphText));

    public static string ParagraphText(Paragraph paragraph)
    {
        var text = new StringBuilder();
        foreach (var element in paragraph.Descendants())
        {
            switch (element)
            {
                case Text t:
                    text.Append(t.Text);
                    break;
                case TabChar:
                    text.Append('\t');
                    break;
                case Break or CarriageReturn:
                    text.Append('\n');
                    break;
            }
        }

        return text.ToString();
    }

    public GridCell? At(int row, int column) => Rows[row].FirstOrDefault(c => c.Column <= column && column <= c.LastColumn);

    private static string TextAbove(List<IReadOnlyList<GridCell>> rows, int column) =>
        rows.Count == 0 ? "" : rows[^1].FirstOrDefault(c => c.Column <= column && column <= c.LastColumn)?.Text ?? "";
}

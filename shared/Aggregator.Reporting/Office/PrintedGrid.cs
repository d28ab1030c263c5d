using Aggregator.Reporting.Model;

namespace Aggregator.Reporting.Office;

/// <summary>A cell of a printed table placed on its grid: where it starts and how far it spans.</summary>
/// <param name="Value">The value cell, for body cells; null for header and label cells.</param>
internal sealed record PlacedCell(int Row, int Column, int RowSpan, int ColumnSpan, string Text, string Role, CellModel? Value);

/// <summary>
/// Places a table's header and body rows (cells with row and column spans, as the HTML prints them) on a rectangular
/// grid, so that the Word and Excel writers can merge exactly the cells the printed layout merges.
/// </summary>
internal sealed class PrintedGrid
{
    private PrintedGrid(int rowCount, int columnCount, IReadOnlyList<PlacedCell> cells, int headerRowCount)
    {
        RowCount = rowCount;
        ColumnCount = columnCount;
        Cells = cells;
        HeaderRowCount = headerRowCount;
    }

    public int RowCount { get; }

    public int ColumnCount { get; }

    public int HeaderRowCount { get; }

    /// <summary>Every cell that starts somewhere, in row then column order.</summary>
    public IReadOnlyList<PlacedCell> Cells { get; }

    public static PrintedGrid Of(TableModel table)
    {
        var rows = new List<IReadOnlyList<(GridCell Cell, CellModel? Value)>>();
        rows.AddRange(table.HeaderRows.Where(r => r.Count > 0).Select(r => (IReadOnlyList<(GridCell, CellModel?)>)[.. r.Select(c => (c, (CellModel?)null))]));
        var headerCount = rows.Count;
        foreach (var body in table.BodyRows)
        {
            rows.Add([
                .. body.LabelCells.Select(c => (c, (CellModel?)null)),
                .. body.Cells.Select(c => (new GridCell(c.Text, 1, 1, "value"), (CellModel?)c)),
            ]);
        }

        var width = Math.Max(table.ColumnCount, 1);
        var taken = new List<bool[]>();
        var placed = new List<PlacedCell>();
        for (var r = 0; r < rows.Count; r++)
        {
            var column = 0;
            foreach (var (cell, value) in rows[r])
            {
                while (IsTaken(r, column))
                {
                    column++;
                }

                for (var dr = 0; dr < cell.RowSpan; dr++)
                {
                    for (var dc = 0; dc < cell.ColSpan; dc++)
                    {
                        Take(r + dr, column + dc);
                    }
                }

                placed.Add(new PlacedCell(r, column, cell.RowSpan, cell.ColSpan, cell.Text, cell.Role, value));
                column += cell.ColSpan;
            }
        }

        var columnCount = Math.Max(width, placed.Count == 0 ? 0 : placed.Max(p => p.Column + p.ColumnSpan));
        return new PrintedGrid(Math.Max(rows.Count, taken.Count), columnCount, placed, headerCount);

        bool IsTaken(int row, int column) => row < taken.Count && column < taken[row].Length && taken[row][column];

        void Take(int row, int column)
        {
            while (taken.Count <= row)
            {
                taken.Add(new bool[width]);
            }

            if (column >= taken[row].Length)
            {
                var wider = new bool[column + 1];
                taken[row].CopyTo(wider, 0);
                taken[row] = wider;
            }

            taken[row][column] = true;
        }
    }

    /// <summary>The cell whose area covers the grid position, and whether it starts there.</summary>
    public (PlacedCell? Cell, bool IsOrigin) At(int row, int column)
    {
        foreach (var cell in Cells)
        {
            if (row >= cell.Row && row < cell.Row + cell.RowSpan && column >= cell.Column && column < cell.Column + cell.ColumnSpan)
            {
                return (cell, cell.Row == row && cell.Column == column);
            }
        }

        return (null, false);
    }
}

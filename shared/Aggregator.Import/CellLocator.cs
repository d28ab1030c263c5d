using Aggregator.Core.Forms;

namespace Aggregator.Import;

/// <summary>A form cell found in a Word table.</summary>
/// <param name="PrintedRow">The row label as printed in the document.</param>
/// <param name="PrintedColumn">The column label as printed in the document.</param>
/// <param name="HeaderUnit">A money unit printed in the column header (采购总金额（万元）).</param>
/// <param name="OtherCandidate">Another cell the position fits equally well, when there is one.</param>
internal sealed record LocatedCell(
    CellDefinition Cell, string Text, string PrintedRow, string PrintedColumn, string? HeaderUnit, CellDefinition? OtherCandidate);

/// <summary>
/// Finds the form's cells in Word tables by the labels printed around them, wherever the tables are and however
/// they are split or merged: a value belongs to the cell whose row label and column label both appear in its row or
/// above it in its column; the group labels (（三）不予公开, 法人或其他组织) decide between cells that share a label.
/// </summary>
internal sealed class CellLocator
{
    private readonly FormDefinition _form;
    private readonly List<Signature> _signatures = [];
    private readonly List<string> _rowLabels = [];
    private readonly List<string> _columnLabels = [];
    private readonly List<string> _otherLabels = [];

    public CellLocator(FormDefinition form)
    {
        _form = form;
        foreach (var table in form.Tables)
        {
            var rows = table.Rows.ToDictionary(r => r.Id, StringComparer.Ordinal);
            var columns = table.Columns.ToDictionary(c => c.Id, StringComparer.Ordinal);
            var tableTexts = table.Title.Split(" / ").Select(PrintedLabel.Normalize).ToList();
            _rowLabels.AddRange(table.Rows.Select(r => PrintedLabel.Normalize(r.Label)));
            _columnLabels.AddRange(table.Columns.Select(c => PrintedLabel.Normalize(c.Label)));
            _otherLabels.AddRange(tableTexts);
            _otherLabels.AddRange(table.PrintedHeader.Select(PrintedLabel.Normalize));
            if (table.RowHeader is { } rowHeader)
            {
                _otherLabels.Add(PrintedLabel.Normalize(rowHeader));
            }

            foreach (var cell in table.Cells)
            {
                var rowAncestors = new List<string>();
                for (var row = rows[cell.RowId].ParentId; row is not null; row = rows[row].ParentId)
                {
                    rowAncestors.Add(PrintedLabel.Normalize(rows[row].Label));
                }

                var ancestors = new List<string>(tableTexts.Concat(rowAncestors));

                for (var column = columns[cell.ColumnId].ParentId; column is not null; column = columns[column].ParentId)
                {
                    ancestors.Add(PrintedLabel.Normalize(columns[column].Label));
                }

                _signatures.Add(new Signature(
                    cell, PrintedLabel.Normalize(rows[cell.RowId].Label), PrintedLabel.Normalize(columns[cell.ColumnId].Label), ancestors, rowAncestors));
            }
        }
    }

    public IReadOnlyList<LocatedCell> Locate(IEnumerable<WordGrid> grids)
    {
        var found = new List<LocatedCell>();
        foreach (var grid in grids)
        {
            LocateIn(grid, found);
        }

        return found;
    }

    private void LocateIn(WordGrid grid, List<LocatedCell> found)
    {
        var kinds = grid.Rows.Select(row => row.Select(cell => KindOf(PrintedLabel.Normalize(cell.Text))).ToArray()).ToArray();
        var inheritedRowLabels = new List<Dictionary<int, GridCell>>();
        for (var r = 0; r < grid.Rows.Count; r++)
        {
            var row = grid.Rows[r];
            inheritedRowLabels.Add(InheritRowLabels(grid, r, kinds[r], r > 0 ? inheritedRowLabels[r - 1] : null));

            // A row that prints column labels is a header row: its blank cells are headings, not values.
            if (kinds[r].Any(k => k == LabelKind.Column))
            {
                continue;
            }

            for (var i = 0; i < row.Count; i++)
            {
                var cell = row[i];
                if (cell.Continued || kinds[r][i] != LabelKind.None)
                {
                    continue;
                }

                var context = new List<GridCell>();
                for (var j = 0; j < row.Count; j++)
                {
                    if (j != i && kinds[r][j] == LabelKind.Row)
                    {
                        context.Add(row[j]);
                    }
                }

                context.AddRange(inheritedRowLabels[r].Where(p => p.Key < cell.Column).Select(p => p.Value));
                for (var above = 0; above < r; above++)
                {
                    for (var j = 0; j < grid.Rows[above].Count; j++)
                    {
                        var header = grid.Rows[above][j];
                        if (kinds[above][j] != LabelKind.None && header.Overlaps(cell.Column, cell.Span))
                        {
                            context.Add(header);
                        }
                    }
                }

                if (Match(cell, context, Nearest(grid, kinds, r)) is { } located)
                {
                    found.Add(located);
                }
            }
        }
    }

    // A label cell left blank under a row label continues it (a merge flattened by copying): 三、本年度办理结果 over its items.
    private static Dictionary<int, GridCell> InheritRowLabels(WordGrid grid, int r, LabelKind[] kinds, Dictionary<int, GridCell>? previous)
    {
        var labels = new Dictionary<int, GridCell>();
        var row = grid.Rows[r];
        for (var i = 0; i < row.Count; i++)
        {
            var cell = row[i];
            for (var column = cell.Column; column <= cell.LastColumn; column++)
            {
                if (kinds[i] == LabelKind.Row)
                {
                    labels[column] = cell;
                }
                else if (kinds[i] == LabelKind.None && string.IsNullOrWhiteSpace(cell.Text)
                    && previous is not null && previous.TryGetValue(column, out var above))
                {
                    labels[column] = above;
                }
            }
        }

        return labels;
    }

    // How far above row r the nearest row label matching a given label is: it decides between cells that share
    // their own labels (the old form's （二）被依法纠错数 under both 四、行政复议数量 and 五、行政诉讼数量).
    private Func<string, int> Nearest(WordGrid grid, LabelKind[][] kinds, int r) => label =>
    {
        for (var above = r; above >= 0; above--)
        {
            for (var j = 0; j < grid.Rows[above].Count; j++)
            {
                if (kinds[above][j] == LabelKind.Row && PrintedLabel.Matches(PrintedLabel.Normalize(grid.Rows[above][j].Text), label, out _))
                {
                    return r - above;
                }
            }
        }

        return int.MaxValue;
    };

    private LocatedCell? Match(GridCell cell, List<GridCell> context, Func<string, int> distance)
    {
        var texts = context.Select(c => (Cell: c, Normalized: PrintedLabel.Normalize(c.Text))).ToList();
        Signature? best = null;
        Signature? tie = null;
        var bestScore = -1;
        (GridCell Cell, string? Remainder) bestRow = default, bestColumn = default;
        foreach (var signature in _signatures)
        {
            if (Find(texts, signature.RowLabel) is not { } row || Find(texts, signature.ColumnLabel) is not { } column)
            {
                continue;
            }

            var score = signature.Ancestors.Count(a => Find(texts, a) is not null);
            if (score > bestScore || (score == bestScore && Closer(signature, best!, distance) is var closer && closer < 0))
            {
                (best, tie, bestScore, bestRow, bestColumn) = (signature, null, score, row, column);
            }
            else if (score == bestScore && Closer(signature, best!, distance) == 0)
            {
                tie ??= signature;
            }
        }

        if (best is null)
        {
            return null;
        }

        var headerUnit = best.Cell.IsMoney ? PrintedLabel.MoneyUnit(bestColumn.Remainder) : null;
        return new LocatedCell(best.Cell, cell.Text, Collapse(bestRow.Cell!.Text), Collapse(bestColumn.Cell!.Text), headerUnit, tie?.Cell);
    }

    private static int Closer(Signature candidate, Signature best, Func<string, int> distance)
    {
        static int Nearest(Signature s, Func<string, int> distance) => s.RowAncestors.Count == 0 ? int.MaxValue : s.RowAncestors.Min(distance);
        return Nearest(candidate, distance).CompareTo(Nearest(best, distance));
    }

    private static (GridCell Cell, string? Remainder)? Find(List<(GridCell Cell, string Normalized)> texts, string label)
    {
        foreach (var (cell, normalized) in texts)
        {
            if (PrintedLabel.Matches(normalized, label, out var remainder))
            {
                return (cell, remainder);
            }
        }

        return null;
    }

    private LabelKind KindOf(string normalized)
    {
        if (normalized.Length == 0)
        {
            return LabelKind.None;
        }

        if (_rowLabels.Exists(l => PrintedLabel.Matches(normalized, l, out _)))
        {
            return LabelKind.Row;
        }

        if (_columnLabels.Exists(l => PrintedLabel.Matches(normalized, l, out _)))
        {
            return LabelKind.Column;
        }

        return _otherLabels.Exists(l => PrintedLabel.Matches(normalized, l, out _)) ? LabelKind.Other : LabelKind.None;
    }

    private static string Collapse(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    public override string ToString() => _form.Id;

    private enum LabelKind
    {
        None,
        Row,
        Column,
        Other,
    }

    private sealed record Signature(CellDefinition Cell, string RowLabel, string ColumnLabel, List<string> Ancestors, List<string> RowAncestors);
}

using Aggregator.Core.Forms;

namespace Aggregator.Reporting.Model;

/// <summary>Works out how a table of a form is printed: header spans, label spans, formatted values.</summary>
internal static class TableLayout
{
    public const string Grid = "grid";
    public const string Transposed = "transposed";
    public const string List = "list";

    // The form files model table 四 as branches × results, but it is printed as one row of 15 cells under
    // nested headers (行政复议 | 行政诉讼: 未经复议直接起诉, 复议后起诉); nothing in the form data says so.
    private static readonly HashSet<string> TransposedTables = new(StringComparer.Ordinal) { "s4" };

    private const string TitleSeparator = " / ";

    public static TableModel Build(TableDefinition table, Func<CellDefinition, decimal?> valueOf)
    {
        var cellsByRow = table.Cells.ToLookup(c => c.RowId, StringComparer.Ordinal);
        var columns = table.Columns.Where(c => c.HasCells).Select(c => new ColumnModel(c.Id, c.Label, ColumnPath(c, table))).ToList();
        var rows = table.Rows.Select(r => BuildRow(r, cellsByRow[r.Id], valueOf)).ToList();
        var rowsById = rows.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var layout = table.PrintedHeader.Count > 0 ? List : TransposedTables.Contains(table.Id) ? Transposed : Grid;
        var separator = table.Title.IndexOf(TitleSeparator, StringComparison.Ordinal);
        var sectionHeading = separator < 0 ? table.Title : table.Title[..separator];
        var blockTitle = separator < 0 ? null : table.Title[(separator + TitleSeparator.Length)..];

        var (headerRows, bodyRows, columnCount) = layout switch
        {
            List => ListGrid(table, rows),
            Transposed => TransposedGrid(table, columns, rows),
            _ => StandardGrid(table, columns, rows),
        };

        return new TableModel(
            table.Id,
            table.Title,
            sectionHeading,
            blockTitle,
            table.RowHeader,
            table.PrintedNote,
            layout,
            table.PrintedHeader,
            columns,
            rows,
            rowsById,
            headerRows,
            bodyRows,
            columnCount);
    }

    private static RowModel BuildRow(RowDefinition row, IEnumerable<CellDefinition> cells, Func<CellDefinition, decimal?> valueOf)
    {
        var cellModels = cells
            .Select(c =>
            {
                var value = valueOf(c);
                return new CellModel(c.Id, c.Label, CellValueFormatter.Format(c, value), c.IsHeading ? null : value, value is null, CellValueFormatter.KindOf(c));
            })
            .ToList();
        var first = cells.FirstOrDefault();
        return new RowModel(
            row.Id,
            row.Label,
            first?.RowPath ?? row.Label,
            row.Level,
            row.ParentId,
            row.HasCells,
            row.IsHeading,
            first?.Unit,
            cellModels,
            cellModels.ToDictionary(c => c.Id[(c.Id.LastIndexOf('.') + 1)..], StringComparer.Ordinal));
    }

    // The top spanning header (申请人情况) adds nothing to a column's name; intermediate ones (法人或其他组织) do.
    private static string ColumnPath(ColumnDefinition column, TableDefinition table)
    {
        var byId = table.Columns.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var parts = new List<string> { column.Label };
        for (var parent = Parent(column); parent is not null && parent.ParentId is not null; parent = Parent(parent))
        {
            parts.Insert(0, parent.Label);
        }

        return string.Join(' ', parts);

        ColumnDefinition? Parent(ColumnDefinition c) => c.ParentId is null ? null : byId[c.ParentId];
    }

    private static (List<IReadOnlyList<GridCell>>, List<GridRow>, int) StandardGrid(
        TableDefinition table, List<ColumnModel> columns, List<RowModel> rows)
    {
        var rowsById = rows.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var dataRows = rows.Where(r => r.HasCells).ToList();
        var groupsOf = dataRows.ToDictionary(r => r.Id, r => GroupAncestors(r, rowsById), StringComparer.Ordinal);
        var labelDepth = dataRows.Count == 0 ? 1 : dataRows.Max(r => groupsOf[r.Id].Count + 1);
        var dataRowsUnder = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var group in groupsOf.Values.SelectMany(g => g))
        {
            dataRowsUnder[group.Id] = dataRowsUnder.GetValueOrDefault(group.Id) + 1;
        }

        var headerRows = ColumnHeader(table, out var headerDepth);
        var corner = new GridCell(table.PrintedNote ?? table.RowHeader ?? string.Empty, headerDepth, labelDepth, "corner");
        headerRows[0].Insert(0, corner);

        var started = new HashSet<string>(StringComparer.Ordinal);
        var body = new List<GridRow>();
        foreach (var row in dataRows)
        {
            var groups = groupsOf[row.Id];
            var labels = new List<GridCell>();
            foreach (var group in groups.Where(g => started.Add(g.Id)))
            {
                labels.Add(new GridCell(group.Label, dataRowsUnder[group.Id], 1, "group"));
            }

            labels.Add(new GridCell(row.Label, 1, labelDepth - groups.Count, "row"));
            body.Add(new GridRow(row.Id, labels, row.Cells));
        }

        return ([.. headerRows.Select(r => (IReadOnlyList<GridCell>)r)], body, labelDepth + columns.Count);
    }

    private static List<RowModel> GroupAncestors(RowModel row, Dictionary<string, RowModel> rowsById)
    {
        var groups = new List<RowModel>();
        for (var parent = row.ParentId; parent is not null && rowsById.TryGetValue(parent, out var p); parent = p.ParentId)
        {
            if (!p.HasCells)
            {
                groups.Insert(0, p);
            }
        }

        return groups;
    }

    // Nested column headers: a leaf spans down to the last header row, a spanning header across its leaves.
    private static List<List<GridCell>> ColumnHeader(TableDefinition table, out int depth)
    {
        var byId = table.Columns.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var leaves = table.Columns.Where(c => c.HasCells).ToList();
        var depthOf = table.Columns.ToDictionary(c => c.Id, c => DepthOf(c), StringComparer.Ordinal);
        var spans = new Dictionary<string, (int First, int Count)>(StringComparer.Ordinal);
        for (var i = 0; i < leaves.Count; i++)
        {
            for (var c = leaves[i]; ; c = byId[c.ParentId])
            {
                spans[c.Id] = spans.TryGetValue(c.Id, out var s) ? (s.First, s.Count + 1) : (i, 1);
                if (c.ParentId is null)
                {
                    break;
                }
            }
        }

        depth = leaves.Count == 0 ? 1 : leaves.Max(c => depthOf[c.Id]);
        var rows = Enumerable.Range(0, depth).Select(_ => new List<GridCell>()).ToList();
        foreach (var column in table.Columns.Where(c => spans.ContainsKey(c.Id)).OrderBy(c => spans[c.Id].First))
        {
            var level = depthOf[column.Id];
            var cell = column.HasCells
                ? new GridCell(column.Label, depth - level + 1, 1, "column")
                : new GridCell(column.Label, 1, spans[column.Id].Count, "column");
            rows[level - 1].Add(cell);
        }

        return rows;

        int DepthOf(ColumnDefinition c) => c.ParentId is null ? 1 : 1 + DepthOf(byId[c.ParentId]);
    }

    private static (List<IReadOnlyList<GridCell>>, List<GridRow>, int) TransposedGrid(
        TableDefinition table, List<ColumnModel> columns, List<RowModel> rows)
    {
        var rowsById = rows.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var dataRows = rows.Where(r => r.HasCells).ToList();
        var depth = rows.Count == 0 ? 1 : rows.Max(r => r.Level);
        var width = columns.Count;
        var placed = new List<(int HeaderRow, int Start, GridCell Cell)>();
        for (var i = 0; i < dataRows.Count; i++)
        {
            var row = dataRows[i];
            placed.Add((row.Level - 1, i * width, new GridCell(row.Label, 1, width, "row")));
            for (var c = 0; c < width; c++)
            {
                placed.Add((row.Level, (i * width) + c, new GridCell(columns[c].Label, depth - row.Level + 1, 1, "column")));
            }
        }

        foreach (var group in rows.Where(r => !r.HasCells))
        {
            var under = dataRows.Select((r, i) => (Row: r, Index: i)).Where(x => IsUnder(x.Row, group.Id, rowsById)).ToList();
            if (under.Count > 0)
            {
                placed.Add((group.Level - 1, under[0].Index * width, new GridCell(group.Label, 1, under.Count * width, "group")));
            }
        }

        var headerRows = Enumerable.Range(0, depth + 1)
            .Select(h => (IReadOnlyList<GridCell>)[.. placed.Where(p => p.HeaderRow == h).OrderBy(p => p.Start).Select(p => p.Cell)])
            .ToList();
        var body = new List<GridRow> { new(table.Id, [], [.. dataRows.SelectMany(r => r.Cells)]) };
        return (headerRows, body, dataRows.Count * width);
    }

    private static bool IsUnder(RowModel row, string groupId, Dictionary<string, RowModel> rowsById)
    {
        for (var parent = row.ParentId; parent is not null; parent = rowsById[parent].ParentId)
        {
            if (parent == groupId)
            {
                return true;
            }
        }

        return false;
    }

    private static (List<IReadOnlyList<GridCell>>, List<GridRow>, int) ListGrid(TableDefinition table, List<RowModel> rows)
    {
        var header = (IReadOnlyList<GridCell>)[.. table.PrintedHeader.Select(h => new GridCell(h, 1, 1, "column"))];
        var body = rows
            .Select(r => new GridRow(r.Id, [new GridCell(r.Label, 1, 1, "row"), new GridCell(r.Unit ?? string.Empty, 1, 1, "row")], r.Cells))
            .ToList();
        return ([header], body, table.PrintedHeader.Count);
    }
}

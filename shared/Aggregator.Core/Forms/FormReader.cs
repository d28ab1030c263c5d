using System.Text.Json;
using System.Text.Json.Serialization;
using Aggregator.Core.Rules;
using Aggregator.Core.Values;

namespace Aggregator.Core.Forms;

/// <summary>Reads one form file and builds its definition, cells and compiled rules.</summary>
internal static class FormReader
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        // A misspelt key in a form file would otherwise silently drop a unit or a rule.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static FormDefinition Read(string json, string source)
    {
        FormFile? file;
        try
        {
            file = JsonSerializer.Deserialize<FormFile>(json, Options);
        }
        catch (JsonException ex)
        {
            throw new FormDefinitionException($"{source}: not a valid form file: {ex.Message}", ex);
        }

        if (file is null)
        {
            throw new FormDefinitionException($"{source}: empty form file.");
        }

        try
        {
            return Build(file);
        }
        catch (FormDefinitionException ex)
        {
            throw new FormDefinitionException($"{source}: {ex.Message}", ex);
        }
    }

    private static FormDefinition Build(FormFile file)
    {
        var id = Required(file.Id, "id");
        var tables = new List<TableDefinition>();
        var cells = new List<CellDefinition>();
        var tableIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tableFile in file.Tables ?? [])
        {
            var table = BuildTable(tableFile, cells);
            if (!tableIds.Add(table.Id))
            {
                throw new FormDefinitionException($"duplicate table id '{table.Id}'.");
            }

            tables.Add(table);
        }

        if (cells.Count == 0)
        {
            throw new FormDefinitionException($"form '{id}' has no cells.");
        }

        var form = new FormDefinition(
            id,
            Required(file.Title, "title"),
            file.IssuedBy,
            new YearRange(file.ValidYears?.From, file.ValidYears?.To),
            file.Sections ?? [],
            file.NarrativeSections ?? [],
            file.HeaderFields ?? [],
            tables,
            cells);
        form.RuleSet = RuleCompiler.Compile(form, file.Rules ?? []);
        return form;
    }

    private static TableDefinition BuildTable(TableFile file, List<CellDefinition> formCells)
    {
        var tableId = Required(file.Id, "table id");
        var rows = (file.Rows ?? []).Select(r => new RowDefinition(
                Required(r.Id, $"row id in table {tableId}"),
                Required(r.Label, $"row label in table {tableId}"),
                r.Level,
                r.Parent,
                r.Cells ?? true,
                r.Heading ?? false,
                r.Note))
            .ToList();
        var columns = (file.Columns ?? []).Select(c => new ColumnDefinition(
                Required(c.Id, $"column id in table {tableId}"),
                Required(c.Label, $"column label in table {tableId}"),
                c.Parent,
                c.Cells ?? true,
                c.Note))
            .ToList();
        var rowsById = UniqueIds(rows, r => r.Id, $"row of table {tableId}");
        var columnsById = UniqueIds(columns, c => c.Id, $"column of table {tableId}");
        foreach (var row in rows.Where(r => r.ParentId is not null && !rowsById.ContainsKey(r.ParentId)))
        {
            throw new FormDefinitionException($"row {tableId}.{row.Id} names an unknown parent '{row.ParentId}'.");
        }

        foreach (var column in columns.Where(c => c.ParentId is not null && !columnsById.ContainsKey(c.ParentId)))
        {
            throw new FormDefinitionException($"column {tableId}.{column.Id} names an unknown parent '{column.ParentId}'.");
        }

        var rowFiles = (file.Rows ?? []).ToDictionary(r => r.Id!, StringComparer.Ordinal);
        var columnFiles = (file.Columns ?? []).ToDictionary(c => c.Id!, StringComparer.Ordinal);
        var defaults = file.CellDefaults ?? new CellSpecFile();
        var tableCells = new List<CellDefinition>();
        foreach (var row in rows.Where(r => r.HasCells))
        {
            foreach (var column in columns.Where(c => c.HasCells))
            {
                var rowFile = rowFiles[row.Id];
                var columnFile = columnFiles[column.Id];
                var cellId = $"{tableId}.{row.Id}.{column.Id}";
                var rowPath = RowPath(row, rowsById);
                var unit = rowFile.Unit ?? columnFile.Unit ?? defaults.Unit;
                var type = ParseType(rowFile.Type ?? columnFile.Type ?? defaults.Type, cellId);
                if (type == CellType.Decimal && !row.IsHeading && unit != UnitCatalog.TenThousandYuan)
                {
                    throw new FormDefinitionException($"money cell {cellId} must be held in 万元, not '{unit}'.");
                }

                var cell = new CellDefinition(
                    cellId,
                    formCells.Count,
                    tableId,
                    row.Id,
                    column.Id,
                    row.Label,
                    column.Label,
                    CellLabel.Compose(file.LabelPrefix, rowPath, file.LabelOmitsColumn ? null : ColumnPath(column, columnsById)),
                    rowPath,
                    unit,
                    rowFile.UnitPrinted ?? columnFile.UnitPrinted ?? defaults.UnitPrinted ?? false,
                    type,
                    row.IsHeading);
                formCells.Add(cell);
                tableCells.Add(cell);
            }
        }

        return new TableDefinition(
            tableId,
            Required(file.Title, $"title of table {tableId}"),
            file.RowHeader,
            file.PrintedHeader ?? [],
            file.NotePrinted,
            file.Note,
            rows,
            columns,
            tableCells);
    }

    // A sub-item such as "1.属于国家秘密" or "其中：…" only makes sense together with the row it belongs to,
    // so the path climbs until it reaches a row with its own numbering (一、 or （一）).
    private static string RowPath(RowDefinition row, Dictionary<string, RowDefinition> rowsById)
    {
        var parts = new List<string> { row.Label };
        var current = row;
        while (!CellLabel.HasOwnNumbering(current.Label) && current.ParentId is not null)
        {
            current = rowsById[current.ParentId];
            parts.Insert(0, CellLabel.WithoutFillNote(current.Label));
        }

        return string.Join(' ', parts);
    }

    // The top-level spanning header (申请人情况) adds nothing; intermediate spans (法人或其他组织) do.
    private static string ColumnPath(ColumnDefinition column, Dictionary<string, ColumnDefinition> columnsById)
    {
        var parts = new List<string> { column.Label };
        var current = column;
        while (current.ParentId is not null)
        {
            var parent = columnsById[current.ParentId];
            if (parent.ParentId is null)
            {
                break;
            }

            parts.Insert(0, parent.Label);
            current = parent;
        }

        return string.Join(' ', parts);
    }

    private static CellType ParseType(string? type, string cellId) => type switch
    {
        null or "integer" => CellType.Integer,
        "signed_integer" => CellType.SignedInteger,
        "decimal" => CellType.Decimal,
        _ => throw new FormDefinitionException($"cell {cellId} has unknown type '{type}'."),
    };

    private static Dictionary<string, T> UniqueIds<T>(List<T> items, Func<T, string> id, string what)
    {
        var byId = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (!byId.TryAdd(id(item), item))
            {
                throw new FormDefinitionException($"duplicate {what} '{id(item)}'.");
            }
        }

        return byId;
    }

    private static string Required(string? value, string what) =>
        string.IsNullOrWhiteSpace(value) ? throw new FormDefinitionException($"missing {what}.") : value;
}

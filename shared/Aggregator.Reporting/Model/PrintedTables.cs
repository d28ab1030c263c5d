using Aggregator.Core.Forms;

namespace Aggregator.Reporting.Model;

/// <summary>A form's tables laid out as the report prints them, for other renderers (the web pages) to draw.</summary>
public static class PrintedTables
{
    public static IReadOnlyList<TableModel> Of(FormDefinition form, Func<CellDefinition, decimal?> valueOf) =>
        [.. form.Tables.Select(table => TableLayout.Build(table, valueOf))];
}

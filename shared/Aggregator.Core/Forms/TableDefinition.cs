namespace Aggregator.Core.Forms;

/// <summary>A table of a form: rows × columns; its cells are the rows and columns that have cells.</summary>
/// <param name="RowHeader">The printed heading of the label column, e.g. 信息内容.</param>
/// <param name="PrintedHeader">The printed column headings of the old form (统计指标 | 单位 | 统计数).</param>
/// <param name="PrintedNote">A note printed on the table itself, e.g. table 三's 勾稽关系.</param>
/// <param name="Note">An explanatory note (not printed).</param>
public sealed record TableDefinition(
    string Id,
    string Title,
    string? RowHeader,
    IReadOnlyList<string> PrintedHeader,
    string? PrintedNote,
    string? Note,
    IReadOnlyList<RowDefinition> Rows,
    IReadOnlyList<ColumnDefinition> Columns,
    IReadOnlyList<CellDefinition> Cells);

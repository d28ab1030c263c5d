namespace Aggregator.Core.Forms;

/// <summary>One fillable cell of a form, in printed order.</summary>
/// <param name="Id">Stable ASCII id <c>table.row.column</c>, e.g. <c>s3.r3_3_1.commercial</c>.</param>
/// <param name="Index">Position in <see cref="FormDefinition.Cells"/>; dense, starting at 0.</param>
/// <param name="RowLabel">The row label as printed.</param>
/// <param name="ColumnLabel">The column label as printed.</param>
/// <param name="Label">A readable Chinese label that locates the cell by its printed row and column.</param>
/// <param name="RowPath">The row part of <see cref="Label"/>: the row label with the group it belongs to.</param>
/// <param name="Unit">The unit values are held in (件, 万元, …); <c>——</c> for the old form's headings.</param>
/// <param name="UnitPrinted">Whether the form prints the unit, so that a bare number is unambiguous.</param>
/// <param name="IsHeading">A heading cell of the old form: may be filled, is checked, is never summed.</param>
public sealed record CellDefinition(
    string Id,
    int Index,
    string TableId,
    string RowId,
    string ColumnId,
    string RowLabel,
    string ColumnLabel,
    string Label,
    string RowPath,
    string? Unit,
    bool UnitPrinted,
    CellType Type,
    bool IsHeading)
{
    /// <summary>Whether the cell holds money, normalised to 万元.</summary>
    public bool IsMoney => Type == CellType.Decimal;
}

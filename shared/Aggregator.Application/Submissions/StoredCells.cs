using Aggregator.Core.Rules;
using Aggregator.Core.Values;
using Aggregator.Storage.Submissions;

namespace Aggregator.Application.Submissions;

/// <summary>Turns a normalised table into the rows stored per cell: the number, the text as written, and flags.</summary>
internal static class StoredCells
{
    public static IReadOnlyList<CellValue> From(NormalizationResult normalized)
    {
        var table = normalized.Table;
        var dashes = normalized.Problems
            .Where(p => p.RuleId == ValueRuleIds.Dash && p.Cells.Count > 0)
            .Select(p => p.Cells[0].CellId)
            .ToHashSet(StringComparer.Ordinal);
        var cells = new List<CellValue>();
        foreach (var cell in table.Form.Cells)
        {
            var value = table.GetValue(cell.Index);
            var raw = table.GetRawText(cell.Index);
            if (value is null && string.IsNullOrEmpty(raw))
            {
                continue;
            }

            var flags = CellFlags.None;
            if (dashes.Contains(cell.Id))
            {
                flags |= CellFlags.DashReadAsZero;
            }

            if (table.IsUnitAssumed(cell.Index))
            {
                flags |= CellFlags.UnitAssumed;
            }

            cells.Add(new CellValue(cell.Id, value, raw, (int)flags));
        }

        return cells;
    }
}

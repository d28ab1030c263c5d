using Aggregator.Core.Values;

namespace Aggregator.Core.Rules;

/// <summary>
/// Last year's table laid over this year's cell indexes by cell id, so that a cross-year rule reads both
/// years the same way even when the format changed between them (fmt_2019 → fmt_2021).
/// </summary>
internal sealed class PreviousYearTable
{
    public PreviousYearTable(NormalizedTable current, NormalizedTable previous)
    {
        var cells = current.Form.Cells;
        Scaled = new long[cells.Count];
        Present = new bool[cells.Count];
        Available = new bool[cells.Count];
        RawTexts = new string?[cells.Count];
        foreach (var cell in cells)
        {
            if (previous.Form.TryGetCell(cell.Id, out var previousCell))
            {
                Available[cell.Index] = true;
                Present[cell.Index] = !previous.IsBlank(previousCell.Index);
                Scaled[cell.Index] = previous.GetScaled(previousCell.Index);
                RawTexts[cell.Index] = previous.GetRawText(previousCell.Index);
            }
        }
    }

    public long[] Scaled { get; }

    public bool[] Present { get; }

    /// <summary>Whether last year's format has the cell at all.</summary>
    public bool[] Available { get; }

    public string?[] RawTexts { get; }
}

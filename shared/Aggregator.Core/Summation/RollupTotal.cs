using Aggregator.Core.Forms;
using Aggregator.Core.Values;

namespace Aggregator.Core.Summation;

/// <summary>
/// A rollup's cell-wise total built from values given one at a time, in any order: one unit's cell, or a partial sum
/// of a cell that a database computed. The arithmetic is <see cref="RollupCalculator"/>'s (fixed point, checked), so
/// the total is the same to the last digit, while no unit's table is ever held: memory is one slot per cell.
/// </summary>
public sealed class RollupTotal
{
    private readonly long[] _sums;
    private readonly bool[] _present;

    public RollupTotal(FormDefinition form)
    {
        ArgumentNullException.ThrowIfNull(form);
        Form = form;
        _sums = new long[form.Cells.Count];
        _present = new bool[form.Cells.Count];
    }

    public FormDefinition Form { get; }

    /// <summary>Adds a value to a cell; null (blank) leaves the cell as it is, an explicit 0 makes it non-blank.</summary>
    /// <exception cref="ArgumentException">The form has no such cell, or the value has more than six decimals.</exception>
    /// <exception cref="OverflowException">The sum exceeds what a cell can hold.</exception>
    public void Add(string cellId, decimal? value)
    {
        if (!Form.TryGetCell(cellId, out var cell))
        {
            throw new ArgumentException($"Form {Form.Id} has no cell '{cellId}'.", nameof(cellId));
        }

        // The old form's headings are never summed, as in RollupCalculator.
        if (value is not { } number || cell.IsHeading)
        {
            return;
        }

        if (!FixedPoint.TryFromDecimal(number, out var scaled))
        {
            throw new ArgumentException($"Value {number} of cell '{cellId}' has more than six decimals.", nameof(value));
        }

        _sums[cell.Index] = checked(_sums[cell.Index] + scaled);
        _present[cell.Index] = true;
    }

    /// <summary>The summed table: a cell no value was given for (or only blanks) stays blank.</summary>
    /// <exception cref="OverflowException">A sum exceeds the largest value a cell can hold.</exception>
    public NormalizedTable ToTable()
    {
        if (Array.Exists(_sums, s => Math.Abs((decimal)s) > FixedPoint.MaxTotalMagnitude * FixedPoint.Scale))
        {
            throw new OverflowException($"A summed cell of the {Form.Id} rollup exceeds the largest value a cell can hold.");
        }

        var count = _sums.Length;
        return new NormalizedTable(Form, (long[])_sums.Clone(), (bool[])_present.Clone(), new string?[count], new bool[count]);
    }
}

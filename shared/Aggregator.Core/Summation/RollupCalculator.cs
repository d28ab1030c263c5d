using Aggregator.Core.Forms;
using Aggregator.Core.Values;

namespace Aggregator.Core.Summation;

/// <summary>Sums units' normalised tables of one format, cell by cell.</summary>
public static class RollupCalculator
{
    /// <summary>
    /// The cell-wise sum of <paramref name="inputs"/>: blank counts as 0, a cell blank in every unit stays blank,
    /// the old form's headings are never summed (always blank), money is already in 万元.
    /// </summary>
    /// <exception cref="ArgumentException">A table is of another format, or two inputs share a key.</exception>
    /// <exception cref="OverflowException">A sum exceeds what a cell can hold (about 9·10¹² of its unit).</exception>
    public static Rollup Sum(FormDefinition form, IEnumerable<RollupInput> inputs)
    {
        var list = inputs.ToList();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in list)
        {
            if (!ReferenceEquals(input.Table.Form, form) && input.Table.Form.Id != form.Id)
            {
                throw new ArgumentException(
                    $"Cannot sum a {input.Table.Form.Id} table ({input.Key}) into a {form.Id} rollup: formats differ.", nameof(inputs));
            }

            if (!keys.Add(input.Key))
            {
                throw new ArgumentException($"Two inputs share the key '{input.Key}'.", nameof(inputs));
            }
        }

        var count = form.Cells.Count;
        var sums = new long[count];
        var present = new bool[count];
        foreach (var input in list)
        {
            var values = input.Table.ScaledValues;
            var filled = input.Table.PresentFlags;
            for (var i = 0; i < count; i++)
            {
                sums[i] = checked(sums[i] + values[i]);
                present[i] |= filled[i];
            }
        }

        foreach (var cell in form.Cells)
        {
            if (cell.IsHeading)
            {
                sums[cell.Index] = 0;
                present[cell.Index] = false;
            }
        }

        if (Array.Exists(sums, s => Math.Abs((decimal)s) > FixedPoint.MaxTotalMagnitude * FixedPoint.Scale))
        {
            throw new OverflowException($"A summed cell of the {form.Id} rollup exceeds the largest value a cell can hold.");
        }

        var total = new NormalizedTable(form, sums, present, new string?[count], new bool[count]);
        return new Rollup(form, total, list);
    }
}

using Aggregator.Core.Forms;
using Aggregator.Core.Values;

namespace Aggregator.Core.Summation;

/// <summary>The cell-wise sum of many units' tables of one format, with what each unit contributed.</summary>
public sealed class Rollup
{
    internal Rollup(FormDefinition form, NormalizedTable total, IReadOnlyList<RollupInput> inputs)
    {
        Form = form;
        Total = total;
        Inputs = inputs;
    }

    public FormDefinition Form { get; }

    /// <summary>The summed table; validate it like any other (a sum of valid tables is valid).</summary>
    public NormalizedTable Total { get; }

    /// <summary>The tables summed, in the order given.</summary>
    public IReadOnlyList<RollupInput> Inputs { get; }

    /// <summary>Every unit that filled the cell (an explicit 0 included), in input order.</summary>
    public IReadOnlyList<CellContribution> ContributionsTo(string cellId) => ContributionsTo(Form.GetCell(cellId).Index);

    /// <summary>Every unit that filled the cell (an explicit 0 included), in input order.</summary>
    public IReadOnlyList<CellContribution> ContributionsTo(int cellIndex)
    {
        if (Form.Cells[cellIndex].IsHeading)
        {
            return [];
        }

        var contributions = new List<CellContribution>();
        foreach (var input in Inputs)
        {
            if (input.Table.GetValue(cellIndex) is { } value)
            {
                contributions.Add(new CellContribution(input.Key, value, input.Table.GetRawText(cellIndex)));
            }
        }

        return contributions;
    }
}

using Aggregator.Core.Forms;
using Aggregator.Core.Rules;
using Aggregator.Core.Values;

namespace Aggregator.Core.CrossYear;

/// <summary>A comparable figure that changed from last year to this year.</summary>
/// <param name="Previous">Last year's value; null when every cell of it was blank.</param>
/// <param name="Current">This year's value; null when every cell of it is blank.</param>
/// <param name="Change">This year minus last year, blank counted as 0.</param>
public sealed record FigureChange(ComparableFigure Figure, decimal? Previous, decimal? Current, decimal Change)
{
    /// <summary>The change as a share of last year's value; null when last year's value was 0 or blank.</summary>
    public decimal? Rate => Previous is { } before && before != 0m ? Change / before : null;
}

/// <summary>One unit's table against its own table of the year before.</summary>
/// <param name="Changes">Every figure that changed, the largest change (by absolute value) first; equal changes in
/// the printed order.</param>
/// <param name="ComparedFigures">How many figures the two formats have in common.</param>
/// <param name="Checks">The cross-year rules of this year's format that fail (X-YEAR-CARRY …), as validation
/// reports them.</param>
public sealed record UnitYearComparison(
    YearOverYearMapping Mapping,
    IReadOnlyList<FigureChange> Changes,
    int ComparedFigures,
    IReadOnlyList<RuleViolation> Checks);

/// <summary>Compares a table with the same unit's table of the year before, across formats where they agree.</summary>
public static class YearOverYearComparison
{
    public static UnitYearComparison Compare(NormalizedTable current, NormalizedTable previous)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(previous);
        var mapping = YearOverYearMapping.Between(current.Form, previous.Form);
        var changes = new List<FigureChange>();
        foreach (var figure in mapping.Figures)
        {
            var now = Sum(current, figure.CurrentCells);
            var before = Sum(previous, figure.PreviousCells);
            var change = (now ?? 0m) - (before ?? 0m);
            if (change != 0m)
            {
                changes.Add(new FigureChange(figure, before, now, change));
            }
        }

        // A stable sort keeps the printed order among equal changes.
        var ordered = changes.OrderByDescending(c => Math.Abs(c.Change)).ToList();
        var crossYearRules = current.Form.Rules.Where(r => r.IsCrossYear).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var checks = crossYearRules.Count == 0
            ? []
            : RuleEvaluator.Evaluate(current, previous).Where(v => crossYearRules.Contains(v.RuleId)).ToList();
        return new UnitYearComparison(mapping, ordered, mapping.Figures.Count, checks);
    }

    private static decimal? Sum(NormalizedTable table, IReadOnlyList<int> cells)
    {
        decimal? sum = null;
        foreach (var cell in cells)
        {
            if (table.GetValue(cell) is { } value)
            {
                sum = (sum ?? 0m) + value;
            }
        }

        return sum;
    }
}

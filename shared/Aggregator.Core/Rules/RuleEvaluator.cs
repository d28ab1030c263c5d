using Aggregator.Core.Values;

namespace Aggregator.Core.Rules;

/// <summary>Checks a normalised table against its form's rules.</summary>
public static class RuleEvaluator
{
    /// <summary>
    /// Every failed rule of the table's form, in the form's rule order. Cross-year rules are checked only when
    /// <paramref name="previousYear"/> (the same unit's table of the year before) is given, cell by cell id.
    /// </summary>
    public static IReadOnlyList<RuleViolation> Evaluate(NormalizedTable table, NormalizedTable? previousYear = null)
    {
        List<RuleViolation>? violations = null;
        table.Form.RuleSet.Evaluate(table, previousYear, ref violations);
        return violations ?? (IReadOnlyList<RuleViolation>)[];
    }

    /// <summary>Whether the table breaks no error rule (warnings allowed); allocates nothing when it holds.</summary>
    public static bool HasNoErrors(NormalizedTable table, NormalizedTable? previousYear = null)
    {
        List<RuleViolation>? violations = null;
        table.Form.RuleSet.Evaluate(table, previousYear, ref violations);
        return violations is null || violations.TrueForAll(v => v.Severity != Severity.Error);
    }

    /// <summary>The verdict for a list of violations.</summary>
    public static ValidationOutcome OutcomeOf(IReadOnlyCollection<RuleViolation> violations) =>
        violations.Any(v => v.Severity == Severity.Error) ? ValidationOutcome.Rejected
        : violations.Count > 0 ? ValidationOutcome.AcceptedWithWarnings
        : ValidationOutcome.Accepted;
}

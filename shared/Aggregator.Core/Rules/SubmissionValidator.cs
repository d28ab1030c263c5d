using Aggregator.Core.Forms;
using Aggregator.Core.Values;

namespace Aggregator.Core.Rules;

/// <summary>The result of validating one submission.</summary>
/// <param name="Table">The normalised table (unreadable cells left blank).</param>
/// <param name="Violations">Value problems first, then failed rules in the form's order.</param>
public sealed record ValidationResult(
    FormDefinition Form,
    NormalizedTable Table,
    IReadOnlyList<RuleViolation> Violations,
    ValidationOutcome Outcome);

/// <summary>Reads a submission against its format and checks every rule: the one call the API, workers and CLI make.</summary>
public sealed class SubmissionValidator(FormCatalog catalog)
{
    /// <summary>A validator over the embedded national formats.</summary>
    public static SubmissionValidator Default { get; } = new(FormCatalog.Default);

    /// <summary>
    /// Validates <paramref name="submission"/>; with <paramref name="previousYear"/> (the same unit's submission of
    /// the year before) the cross-year rules are checked too.
    /// </summary>
    /// <exception cref="UnknownFormatException">The submission names a format the catalog does not know.</exception>
    public ValidationResult Validate(SubmissionDocument submission, SubmissionDocument? previousYear = null)
    {
        var form = Resolve(submission);
        var normalized = TableNormalizer.Normalize(form, submission);
        NormalizedTable? previous = null;
        if (previousYear is not null)
        {
            previous = TableNormalizer.Normalize(Resolve(previousYear), previousYear).Table;
        }

        return Validate(normalized, previous);
    }

    /// <summary>Checks the rules on an already normalised table, keeping the problems met while reading it.</summary>
    public static ValidationResult Validate(NormalizationResult normalized, NormalizedTable? previousYear = null)
    {
        var ruleViolations = RuleEvaluator.Evaluate(normalized.Table, previousYear);
        IReadOnlyList<RuleViolation> violations = normalized.Problems.Count == 0
            ? ruleViolations
            : [.. normalized.Problems, .. ruleViolations];
        return new ValidationResult(normalized.Table.Form, normalized.Table, violations, RuleEvaluator.OutcomeOf(violations));
    }

    private FormDefinition Resolve(SubmissionDocument submission) =>
        catalog.TryGet(submission.FormatId, out var form)
            ? form
            : throw new UnknownFormatException(
                $"未知的表式“{submission.FormatId}”；可用的表式：{string.Join("、", catalog.Forms.Select(f => f.Id))}")
            {
                FormatId = submission.FormatId,
            };
}

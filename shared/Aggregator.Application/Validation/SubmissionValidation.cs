using Aggregator.Application.CrossYear;
using Aggregator.Application.Telemetry;
using Aggregator.Contracts;
using Aggregator.Core.Rules;
using Aggregator.Core.Text;
using Aggregator.Core.Values;
using Aggregator.Storage;
using Aggregator.Storage.Outbox;
using Aggregator.Storage.Periods;
using Aggregator.Storage.Submissions;
using Aggregator.Storage.Texts;
using Aggregator.Storage.Validation;

namespace Aggregator.Application.Validation;

public enum ValidationRunStatus
{
    /// <summary>The version was validated now and its outcome stored.</summary>
    Validated,

    /// <summary>The version had been validated before; nothing changed.</summary>
    AlreadyValidated,

    /// <summary>There is no such version.</summary>
    NotFound,
}

/// <param name="Outcome"><c>accepted</c>, <c>accepted_with_warnings</c> or <c>rejected</c>; null when not found.</param>
public sealed record ValidationRun(ValidationRunStatus Status, string? Outcome);

/// <summary>
/// Checks a stored submission version against its form's rules (and, when the same unit's report of the year before
/// was accepted in the period of the same root unit, the cross-year rules), compares its narrative with the latest of
/// every other unit of the period and with the unit's own of the year before (内容雷同, warnings) and with its own tables (正文与表格不符, warnings), and stores the outcome; the outcomes a batch stored are announced together in one <c>SubmissionsValidated</c> message. Idempotent: a version is
/// validated once; a redelivered request finds it done and changes nothing.
/// </summary>
public sealed class SubmissionValidation(
    SubmissionRepository submissions,
    ValidationResultRepository results,
    PreviousYearData previousYearData,
    SubmissionValidator validator,
    NarrativeComparison comparison,
    IOutboxSignal outboxSignal,
    AggregatorMetrics metrics)
{
    public async Task<ValidationRun> ValidateAsync(Guid submissionId, int version, CancellationToken cancellationToken) =>
        (await ValidateManyAsync([(submissionId, version)], cancellationToken))[0];

    /// <summary>
    /// Validates several versions as <see cref="ValidateAsync"/> would one after the other, in order, and stores
    /// every outcome in one transaction: a version's cross-year check sees the outcomes decided before it in the list.
    /// </summary>
    /// <returns>One run per item, in order; a version listed twice is validated once, the second finds it done.</returns>
    public async Task<IReadOnlyList<ValidationRun>> ValidateManyAsync(
        IReadOnlyList<(Guid SubmissionId, int Version)> versions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(versions);
        var runs = new ValidationRun[versions.Count];
        var decided = new Dictionary<(Guid SubmissionId, int Version), string>();
        var toStore = new List<(int Index, NewValidationResult Result, SubmissionValidated Validated)>();
        var previousPeriods = new Dictionary<Guid, Period?>();
        var read = await submissions.GetManyAsync(versions, cancellationToken);
        for (var i = 0; i < versions.Count; i++)
        {
            var (submissionId, version) = versions[i];
            if (decided.TryGetValue((submissionId, version), out var earlier))
            {
                runs[i] = new ValidationRun(ValidationRunStatus.AlreadyValidated, earlier);
                continue;
            }

            var stored = read[i];
            if (stored is null)
            {
                runs[i] = new ValidationRun(ValidationRunStatus.NotFound, null);
                continue;
            }

            if (stored.ValidatedAt is not null)
            {
                runs[i] = new ValidationRun(ValidationRunStatus.AlreadyValidated, stored.Outcome ?? stored.Status);
                continue;
            }

            if (!previousPeriods.TryGetValue(stored.PeriodId, out var previous))
            {
                previous = await previousYearData.PreviousPeriodAsync(stored.PeriodId, cancellationToken);
                previousPeriods[stored.PeriodId] = previous;
            }

            var (result, validated) = await CheckAsync(stored, previous, decided, cancellationToken);
            decided[(submissionId, version)] = result.Outcome;
            toStore.Add((i, result, validated));
        }

        if (toStore.Count == 0)
        {
            return runs;
        }

        // One message announces the batch's stored outcomes: a message per version doubled what the broker carried for
        // each submission.
        var announced = toStore.ToDictionary(item => (item.Result.SubmissionId, item.Result.Version), item => item.Validated);
        var saved = await results.SaveResultsAsync(
            [.. toStore.Select(item => item.Result)],
            stored => [OutboxEntry.Of(new SubmissionsValidated { Versions = [.. stored.Select(result => announced[(result.SubmissionId, result.Version)])] })],
            cancellationToken);
        for (var j = 0; j < toStore.Count; j++)
        {
            var (index, result, _) = toStore[j];
            runs[index] = new ValidationRun(saved[j] ? ValidationRunStatus.Validated : ValidationRunStatus.AlreadyValidated, result.Outcome);
            if (saved[j])
            {
                metrics.SubmissionValidated(result.Outcome);
            }
        }

        if (saved.Contains(true))
        {
            outboxSignal.Notify();
        }

        return runs;
    }

    private async Task<(NewValidationResult Result, SubmissionValidated Validated)> CheckAsync(
        SubmissionVersion stored,
        Period? previous,
        IReadOnlyDictionary<(Guid SubmissionId, int Version), string> decided,
        CancellationToken cancellationToken)
    {
        // The stored document, not the stored cells, is validated: it keeps what value parsing saw (dashes, units
        // written in cells or headers, the raw text quoted in messages), so the verdict equals a dry run's.
        var document = SubmissionDocument.Parse(stored.Document);
        var previousYear = previous is null
            ? null
            : await previousYearData.AcceptedDocumentAsync(previous, stored.UnitCode, decided, cancellationToken);
        var result = validator.Validate(document, previousYear);
        IReadOnlyList<RuleViolation> violations = result.Violations;
        if (await comparison.OfStoredAsync(stored.PeriodId, stored.UnitCode, stored.SubmissionId, stored.Version, document.Year, document.Narrative, previous, cancellationToken)
            is { Count: > 0 } similar)
        {
            violations = [.. violations, .. similar];
        }

        // Like 内容雷同, read from the stored narrative, so a Word confirm and a JSON `narrative` get the same warnings.
        if (NarrativeCheck.Violations(result.Table, document.Narrative) is { Count: > 0 } contradicted)
        {
            violations = [.. violations, .. contradicted];
        }

        var outcome = RuleEvaluator.OutcomeOf(violations).ToWireName();
        var validated = new SubmissionValidated
        {
            SubmissionId = stored.SubmissionId,
            Version = stored.Version,
            PeriodId = stored.PeriodId,
            UnitCode = stored.UnitCode,
            Outcome = outcome,
        };
        return (new NewValidationResult(stored.SubmissionId, stored.Version, outcome, ViolationView.ToJson(ViolationView.From(violations)), []), validated);
    }
}

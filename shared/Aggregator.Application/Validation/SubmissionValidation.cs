using Aggregator.Application.CrossYear;
using Aggregator.Application.Telemetry;
using Aggregator.Contracts;
using Aggregator.Core.Rules;
using Aggregator.Core.Values;
using Aggregator.Storage;
using Aggregator.Storage.Outbox;
using Aggregator.Storage.Submissions;
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
/// was accepted in the period of the same root unit, the cross-year rules) and stores the outcome with its <c>SubmissionValidated</c> message. Idempotent: a version is
/// validated once; a redelivered request finds it done and changes nothing.
/// </summary>
public sealed class SubmissionValidation(
    SubmissionRepository submissions,
    ValidationResultRepository results,
    PreviousYearData previousYearData,
    SubmissionValidator validator,
    IOutboxSignal outboxSignal,
    AggregatorMetrics metrics)
{
    public async Task<ValidationRun> ValidateAsync(Guid submissionId, int version, CancellationToken cancellationToken)
    {
        var stored = await submissions.GetAsync(submissionId, version, cancellationToken);
        if (stored is null)
        {
            return new ValidationRun(ValidationRunStatus.NotFound, null);
        }

        if (stored.ValidatedAt is not null)
        {
            return new ValidationRun(ValidationRunStatus.AlreadyValidated, stored.Outcome ?? stored.Status);
        }

        // The stored document, not the stored cells, is validated: it keeps what value parsing saw (dashes, units
        // written in cells or headers, the raw text quoted in messages), so the verdict equals a dry run's.
        var document = SubmissionDocument.Parse(stored.Document);
        var previousYear = await previousYearData.AcceptedDocumentAsync(stored.PeriodId, stored.UnitCode, cancellationToken);
        var result = validator.Validate(document, previousYear);
        var outcome = result.Outcome.ToWireName();
        var validated = new SubmissionValidated
        {
            SubmissionId = submissionId,
            Version = version,
            PeriodId = stored.PeriodId,
            UnitCode = stored.UnitCode,
            Outcome = outcome,
        };
        var saved = await results.SaveResultAsync(
            submissionId, version, outcome, ViolationView.ToJson(ViolationView.From(result.Violations)), [OutboxEntry.Of(validated)], cancellationToken);
        if (!saved)
        {
            return new ValidationRun(ValidationRunStatus.AlreadyValidated, outcome);
        }

        outboxSignal.Notify();
        metrics.SubmissionValidated(outcome);
        return new ValidationRun(ValidationRunStatus.Validated, outcome);
    }
}

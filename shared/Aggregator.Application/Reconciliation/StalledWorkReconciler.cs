using Aggregator.Contracts;
using Aggregator.Storage;
using Aggregator.Storage.Outbox;
using Aggregator.Storage.Reconciliation;

namespace Aggregator.Application.Reconciliation;

/// <summary>What one pass announced again.</summary>
/// <param name="Validations">Versions still <c>received</c>: <c>SubmissionReceived</c> again.</param>
/// <param name="Builds">Rollups still <c>requested</c>: <c>RollupRequested</c> again.</param>
/// <param name="Renders">Rollups still <c>rendering</c>: <c>RollupCompleted</c> again.</param>
public sealed record ReconciliationPass(int Validations, int Builds, int Renders)
{
    public int Total => Validations + Builds + Renders;
}

/// <summary>
/// Heals lost messages: the stored state says what each record waits for, so whatever has waited longer than
/// <c>stalledAfter</c> is announced again through the outbox. Every consumer is idempotent, so an announcement
/// whose original was merely slow changes nothing.
/// </summary>
public sealed class StalledWorkReconciler(ReconciliationRepository reconciliation, IOutboxSignal outboxSignal, TimeProvider time)
{
    public async Task<ReconciliationPass> RunAsync(TimeSpan stalledAfter, int batchSize, CancellationToken cancellationToken)
    {
        var waitingSince = time.GetUtcNow() - stalledAfter;
        var validations = 0;
        foreach (var version in await reconciliation.FindStalledVersionsAsync(waitingSince, batchSize, cancellationToken))
        {
            var message = new SubmissionReceived
            {
                SubmissionId = version.SubmissionId, Version = version.Version, PeriodId = version.PeriodId, UnitCode = version.UnitCode,
            };
            if (await reconciliation.ReannounceAsync(version, waitingSince, [OutboxEntry.Of(message)], cancellationToken))
            {
                validations++;
            }
        }

        var builds = 0;
        var renders = 0;
        foreach (var rollup in await reconciliation.FindStalledRollupsAsync(waitingSince, batchSize, cancellationToken))
        {
            var requested = rollup.Status == RollupStatus.Requested;
            OutboxEntry entry = requested
                ? OutboxEntry.Of(new RollupRequested { RollupId = rollup.RollupId, PeriodId = rollup.PeriodId, UnitCode = rollup.UnitCode })
                : OutboxEntry.Of(new RollupCompleted { RollupId = rollup.RollupId, PeriodId = rollup.PeriodId });
            if (await reconciliation.ReannounceAsync(rollup, waitingSince, [entry], cancellationToken))
            {
                if (requested)
                    builds++;
                else
                    renders++;
            }
        }

        var pass = new ReconciliationPass(validations, builds, renders);
        if (pass.Total > 0)
        {
            outboxSignal.Notify();
        }

        return pass;
    }
}

using Aggregator.Application.Results;
using Aggregator.Contracts;
using Aggregator.Storage;
using Aggregator.Storage.Outbox;
using Aggregator.Storage.Rollups;

namespace Aggregator.Application.Rollups;

/// <summary>Ops re-requests a failed rollup, from the step that failed.</summary>
public sealed class RollupRetries(RollupRepository rollups, IOutboxSignal outboxSignal)
{
    /// <summary>
    /// A rollup that failed before its sums were stored is built again (<c>RollupRequested</c>); one that failed
    /// rendering keeps its sums and is rendered again (<c>RollupCompleted</c>). Anything not failed is refused.
    /// </summary>
    public async Task<Result<RollupReceipt>> RetryAsync(Guid rollupId, Actor retriedBy, CancellationToken cancellationToken)
    {
        var header = await rollups.GetAsync(rollupId, cancellationToken);
        if (header is null)
        {
            return Problem.NotFound($"汇总 {rollupId}");
        }

        var outcome = await rollups.RetryFailedAsync(rollupId, retriedBy, status => [Announce(header, status)], cancellationToken);
        if (outcome is not { } retried)
        {
            return Problem.NotFound($"汇总 {rollupId}");
        }

        if (!retried.Retried)
        {
            return Problem.Of(ProblemCodes.RollupNotFailed, "汇总未失败，无需重试", $"汇总 {rollupId} 当前状态为“{retried.Status}”，只有失败的汇总可以重试。");
        }

        outboxSignal.Notify();
        return new RollupReceipt(rollupId, retried.Status, header.UnitCode);
    }

    private static OutboxEntry Announce(Storage.Rollups.Rollup header, string status) =>
        status == RollupStatus.Requested
            ? OutboxEntry.Of(new RollupRequested { RollupId = header.Id, PeriodId = header.PeriodId, UnitCode = header.UnitCode })
            : OutboxEntry.Of(new RollupCompleted { RollupId = header.Id, PeriodId = header.PeriodId });
}

using Aggregator.Application.Periods;
using Aggregator.Application.Results;
using Aggregator.Application.Telemetry;
using Aggregator.Application.Units;
using Aggregator.Contracts;
using Aggregator.Storage;
using Aggregator.Storage.Outbox;
using Aggregator.Storage.Periods;
using Aggregator.Storage.Rollups;

namespace Aggregator.Application.Rollups;

/// <summary>Asks for the consolidated tables of a period at a node of the unit tree.</summary>
public sealed class RollupRequests(
    PeriodRepository periods,
    RollupRepository rollups,
    ExpectedUnits expectedUnits,
    IOutboxSignal outboxSignal,
    AggregatorMetrics metrics)
{
    /// <summary>
    /// Stores a requested rollup of <paramref name="unitCode"/>'s subtree (the period's root when null) with its
    /// <c>RollupRequested</c> message; the aggregation worker computes it.
    /// </summary>
    public async Task<Result<RollupReceipt>> RequestAsync(Guid periodId, string? unitCode, Actor requestedBy, CancellationToken cancellationToken)
    {
        var period = await periods.GetAsync(periodId, cancellationToken);
        if (period is null)
        {
            return Problem.PeriodNotFound(periodId);
        }

        var node = string.IsNullOrWhiteSpace(unitCode) ? period.RootUnitCode : unitCode.Trim();
        if (!UnitCodes.IsValid(node))
        {
            return Problem.Of(ProblemCodes.InvalidUnitCode, "单位代码格式不正确", $"单位代码“{node}”格式不正确。");
        }

        if (!string.Equals(node, period.RootUnitCode, StringComparison.Ordinal) && !await expectedUnits.ContainsAsync(periodId, node, cancellationToken))
        {
            return Problem.Of(ProblemCodes.UnitNotExpected, "该单位不在本填报期内",
                $"单位“{node}”不属于 {period.Year} 年度填报期（{period.RootUnitCode}）的单位树，无法汇总。");
        }

        var rollupId = await rollups.CreateAsync(
            periodId, node, requestedBy, id => [OutboxEntry.Of(new RollupRequested { RollupId = id, PeriodId = periodId, UnitCode = node })], cancellationToken);
        outboxSignal.Notify();
        metrics.RollupRequested();
        return new RollupReceipt(rollupId, RollupStatus.Requested, node);
    }
}

using Aggregator.Application.Rollups;
using Aggregator.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Aggregator.Aggregation;

/// <summary>
/// Turns a rollup message that failed for good into a failed rollup with its reason: MassTransit publishes the
/// <see cref="Fault{T}"/> when the build or render consumer has spent its retries.
/// </summary>
public sealed class RecordRollupFaults(RollupFaults faults, ILogger<RecordRollupFaults> logger)
    : IConsumer<Fault<RollupRequested>>, IConsumer<Fault<RollupCompleted>>
{
    public async Task Consume(ConsumeContext<Fault<RollupRequested>> context)
    {
        var rollupId = context.Message.Message.RollupId;
        if (await faults.RecordBuildFaultAsync(rollupId, Describe(context.Message), context.CancellationToken))
        {
            logger.LogWarning("Rollup {RollupId} failed while summing: {Error}", rollupId, Describe(context.Message));
        }
    }

    public async Task Consume(ConsumeContext<Fault<RollupCompleted>> context)
    {
        var rollupId = context.Message.Message.RollupId;
        if (await faults.RecordRenderFaultAsync(rollupId, Describe(context.Message), context.CancellationToken))
        {
            logger.LogWarning("Rollup {RollupId} failed while rendering: {Error}", rollupId, Describe(context.Message));
        }
    }

    private static string Describe<T>(Fault<T> fault) =>
        fault.Exceptions.FirstOrDefault() is { } exception ? $"{exception.ExceptionType}: {exception.Message}" : "unknown error";
}

public sealed class RecordRollupFaultsDefinition : ConsumerDefinition<RecordRollupFaults>
{
    public RecordRollupFaultsDefinition() => ConcurrentMessageLimit = 2;
}

using Aggregator.Application.Rollups;
using Aggregator.Contracts;
using Aggregator.Messaging.Faults;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Aggregator.Aggregation;

/// <summary>Computes a requested rollup: sums the latest accepted version of every expected unit of the subtree.</summary>
public sealed class BuildRollup(RollupBuilder builder, ILogger<BuildRollup> logger) : IConsumer<RollupRequested>
{
    public async Task Consume(ConsumeContext<RollupRequested> context)
    {
        var build = await builder.BuildAsync(context.Message.RollupId, context.CancellationToken);
        if (build.Status == RollupBuildStatus.NotFound)
        {
            throw new PermanentFailureException($"Rollup {context.Message.RollupId} does not exist.");
        }

        logger.LogInformation(
            "Rollup {RollupId} of {UnitCode}: {Status}; {Included} included, {Rejected} rejected, {Missing} missing, {Pending} pending",
            context.Message.RollupId, context.Message.UnitCode, build.Status, build.Included, build.Rejected, build.Missing, build.Pending);
    }
}

public sealed class BuildRollupDefinition : ConsumerDefinition<BuildRollup>
{
    // A rollup reads a whole subtree at once; a couple at a time keeps the database responsive for intake.
    public BuildRollupDefinition() => ConcurrentMessageLimit = 2;
}

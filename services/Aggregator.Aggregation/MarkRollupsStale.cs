using Aggregator.Application.Rollups;
using Aggregator.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Aggregator.Aggregation;

/// <summary>
/// Keeps the period's state current: a newly accepted version marks the rollups it supersedes as stale. Validation
/// announces a batch's outcomes in one <see cref="SubmissionsValidated"/>; a <see cref="SubmissionValidated"/> of
/// one version, as announced before, is still taken.
/// </summary>
public sealed class MarkRollupsStale(RollupStaleness staleness, ILogger<MarkRollupsStale> logger) : IConsumer<SubmissionValidated>, IConsumer<SubmissionsValidated>
{
    public async Task Consume(ConsumeContext<SubmissionsValidated> context)
    {
        var marked = await staleness.MarkManyAsync(context.Message.Versions, context.CancellationToken);
        if (marked.Count > 0)
        {
            logger.LogInformation("{Count} validated versions supersede rollups {RollupIds}", context.Message.Versions.Count, marked);
        }
    }

    public async Task Consume(ConsumeContext<SubmissionValidated> context)
    {
        var message = context.Message;
        var marked = await staleness.MarkAsync(
            message.PeriodId, message.UnitCode, message.SubmissionId, message.Version, message.Outcome, context.CancellationToken);
        if (marked.Count > 0)
        {
            logger.LogInformation("Version {Version} of {UnitCode} supersedes rollups {RollupIds}", message.Version, message.UnitCode, marked);
        }
    }
}

public sealed class MarkRollupsStaleDefinition : ConsumerDefinition<MarkRollupsStale>
{
    public MarkRollupsStaleDefinition() => ConcurrentMessageLimit = 4;
}

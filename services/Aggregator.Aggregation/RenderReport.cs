using Aggregator.Application.Reports;
using Aggregator.Contracts;
using Aggregator.Messaging.Faults;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Aggregator.Aggregation;

/// <summary>
/// Renders a rollup's report in every format once its sums are stored, stores it (the rollup is then completed),
/// and announces it. A report that cannot be rendered leaves the rollup failed with the reason.
/// </summary>
public sealed class RenderReport(ReportPublication publication, ILogger<RenderReport> logger) : IConsumer<RollupCompleted>
{
    public async Task Consume(ConsumeContext<RollupCompleted> context)
    {
        var result = await publication.PublishAsync(context.Message.RollupId, context.CancellationToken);
        if (result.Status == ReportPublicationStatus.NotReady)
        {
            throw new PermanentFailureException($"Rollup {context.Message.RollupId} does not exist or has no stored sums.");
        }

        if (result.Status == ReportPublicationStatus.Failed)
        {
            logger.LogWarning("Rollup {RollupId} failed: its report could not be rendered: {Error}", context.Message.RollupId, result.Error);
            return;
        }

        // Announced on a repeat too: the message carries no state, and a crash between storing and publishing
        // must not leave a rendered report unannounced.
        await context.Publish(new ReportRendered { RollupId = context.Message.RollupId, Formats = result.Formats }, context.CancellationToken);
    }
}

public sealed class RenderReportDefinition : ConsumerDefinition<RenderReport>
{
    public RenderReportDefinition() => ConcurrentMessageLimit = 2;
}

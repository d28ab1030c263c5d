using Aggregator.Application.Reports;
using Aggregator.Contracts;
using Aggregator.Messaging.Faults;
using MassTransit;

namespace Aggregator.Aggregation;

/// <summary>Renders a completed rollup's report in every format, stores it, and announces it.</summary>
public sealed class RenderReport(ReportPublication publication) : IConsumer<RollupCompleted>
{
    public async Task Consume(ConsumeContext<RollupCompleted> context)
    {
        var result = await publication.PublishAsync(context.Message.RollupId, context.CancellationToken);
        if (result.Status == ReportPublicationStatus.NotReady)
        {
            throw new PermanentFailureException($"Rollup {context.Message.RollupId} does not exist or is not completed.");
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

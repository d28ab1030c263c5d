using MassTransit;

namespace Aggregator.Aggregation;

public static class AggregationConsumers
{
    /// <summary>
    /// The aggregation worker's consumers: <c>aggregator-build-rollup</c>, <c>aggregator-render-report</c> and
    /// <c>aggregator-mark-rollups-stale</c>.
    /// </summary>
    public static IBusRegistrationConfigurator AddAggregationConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<BuildRollup, BuildRollupDefinition>();
        bus.AddConsumer<RenderReport, RenderReportDefinition>();
        bus.AddConsumer<MarkRollupsStale, MarkRollupsStaleDefinition>();
        return bus;
    }
}

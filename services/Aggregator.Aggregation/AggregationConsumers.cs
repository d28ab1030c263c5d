using MassTransit;

namespace Aggregator.Aggregation;

public static class AggregationConsumers
{
    /// <summary>
    /// The aggregation worker's consumers: <c>aggregator-build-rollup</c>, <c>aggregator-render-report</c>,
    /// <c>aggregator-mark-rollups-stale</c> and <c>aggregator-record-rollup-faults</c>.
    /// </summary>
    public static IBusRegistrationConfigurator AddAggregationConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<BuildRollup, BuildRollupDefinition>();
        bus.AddConsumer<RenderReport, RenderReportDefinition>();
        bus.AddConsumer<MarkRollupsStale, MarkRollupsStaleDefinition>();
        bus.AddConsumer<RecordRollupFaults, RecordRollupFaultsDefinition>();
        return bus;
    }
}

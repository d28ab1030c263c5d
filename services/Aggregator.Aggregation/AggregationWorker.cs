using Aggregator.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Aggregation;

public static class AggregationWorker
{
    /// <summary>
    /// Everything the aggregation worker runs: the use cases over the configured database (migrated at start-up),
    /// the bus with the rollup, report and period-state consumers, and the outbox relay.
    /// </summary>
    public static IServiceCollection AddAggregationWorker(this IServiceCollection services, IConfiguration configuration)
    {
        return services.AddAggregatorPipeline(configuration, bus => bus.AddAggregationConsumers())
            .AddStalledWorkReconciler(configuration);
    }
}

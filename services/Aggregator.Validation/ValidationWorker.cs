using Aggregator.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Validation;

public static class ValidationWorker
{
    /// <summary>
    /// Everything the validation worker runs: the use cases over the configured database (migrated at start-up),
    /// the bus with the validation consumers, and the outbox relay that announces the stored outcomes.
    /// </summary>
    public static IServiceCollection AddValidationWorker(this IServiceCollection services, IConfiguration configuration)
    {
        return services.AddAggregatorPipeline(configuration, bus => bus.AddValidationConsumers())
            .AddStalledWorkReconciler(configuration);
    }
}

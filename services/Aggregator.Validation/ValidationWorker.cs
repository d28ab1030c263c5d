using Aggregator.Application;
using Aggregator.Messaging;
using Aggregator.Messaging.Outbox;
using Aggregator.Storage;
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
        services.AddAggregatorApplication(configuration);
        services.AddDatabaseMigrationOnStartup();
        services.AddAggregatorMessaging(configuration, bus => bus.AddValidationConsumers());
        services.AddOutboxRelay();
        return services;
    }
}

using Aggregator.Storage.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Aggregator.Messaging.Outbox;

public static class OutboxServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="OutboxRelay"/>, <see cref="IOutboxSignal"/> and the <see cref="OutboxSweeper"/> hosted service.
    /// Call after <c>AddAggregatorMessaging</c>; the storage layer registers the <c>IOutboxStore</c> it relays from.
    /// </summary>
    public static IServiceCollection AddOutboxRelay(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OutboxSignal>();
        services.TryAddSingleton<IOutboxSignal>(provider => provider.GetRequiredService<OutboxSignal>());
        services.TryAddSingleton<OutboxRelay>();
        services.AddHostedService<OutboxSweeper>();
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Aggregator.Application.Security;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>Adds <see cref="ApiKeyRegistry"/> and <see cref="ApiKeyAuthenticator"/>; needs the storage layer.</summary>
    public static IServiceCollection AddApiKeySecurity(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ApiKeyRegistry>();
        services.TryAddSingleton<UnitKeyBatch>();
        services.TryAddSingleton<ApiKeyAuthenticator>();
        return services;
    }
}

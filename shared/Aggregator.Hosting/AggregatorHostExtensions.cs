using Aggregator.Application;
using Aggregator.Application.Telemetry;
using Aggregator.Messaging;
using Aggregator.Messaging.Outbox;
using Aggregator.ServiceDefaults;
using Aggregator.Storage;
using Aggregator.Storage.Connections;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;

namespace Aggregator.Hosting;

/// <summary>The set-up every composition root shares: the API, the workers, the all-in-one server and the embedded pipeline.</summary>
public static class AggregatorHostExtensions
{
    /// <summary>
    /// The pipeline a process runs: the use cases over the configured database (migrated at start-up), the bus with
    /// the consumers <paramref name="registerConsumers"/> adds (none for a process that only writes), and the outbox
    /// relay that announces what the process stored.
    /// </summary>
    public static IServiceCollection AddAggregatorPipeline(
        this IServiceCollection services, IConfiguration configuration, Action<IBusRegistrationConfigurator> registerConsumers)
    {
        services.AddAggregatorApplication(configuration);
        services.AddDatabaseMigrationOnStartup();
        services.AddDatabaseCleanup(configuration);
        services.AddAggregatorMessaging(configuration, registerConsumers);
        services.AddOutboxRelay();
        services.AddAggregatorMetrics();
        return services;
    }

    /// <summary>
    /// Exports the <c>Aggregator</c> meter (<see cref="AggregatorMetrics"/>, the outbox backlog gauges) through the
    /// host's telemetry, when it has any; a host without telemetry creates none of it.
    /// </summary>
    public static IServiceCollection AddAggregatorMetrics(this IServiceCollection services)
    {
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(AggregatorMetrics.MeterName));
        services.AddHostedService<AggregatorMetricsStartup>();
        return services;
    }

    /// <summary>
    /// The reconciler of a process that runs consumers (the workers, the all-in-one host, the embedded pipeline):
    /// every <c>Reconciler:Interval</c> it announces again whatever waited over <c>Reconciler:StalledAfter</c>.
    /// </summary>
    public static IServiceCollection AddStalledWorkReconciler(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(ReconcilerOptions.SectionName);
        services.AddOptions<ReconcilerOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        if (section.GetValue(nameof(ReconcilerOptions.Enabled), true))
            services.AddHostedService<ReconcilerService>();
        return services;
    }

    /// <summary>
    /// A deployed service: <see cref="AddAggregatorPipeline"/> with the service defaults (telemetry, health) and the
    /// database readiness check.
    /// </summary>
    public static TBuilder AddAggregatorService<TBuilder>(this TBuilder builder, Action<IBusRegistrationConfigurator> registerConsumers)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddServiceDefaults();
        builder.Services.AddAggregatorPipeline(builder.Configuration, registerConsumers);
        builder.Services.AddDatabaseReadiness(DatabaseProbe.CheckAsync);
        return builder;
    }
}

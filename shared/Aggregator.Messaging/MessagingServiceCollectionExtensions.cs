using Aggregator.Application.Operations;
using Aggregator.Messaging.Faults;
using Aggregator.Messaging.Operations;
using Aggregator.Messaging.RabbitMq;
using MassTransit;
using MassTransit.Logging;
using MassTransit.Monitoring;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Aggregator.Messaging;

public static class MessagingServiceCollectionExtensions
{
    /// <summary>
    /// Adds the MassTransit bus on the transport named by <c>Messaging:Transport</c> (<c>inmemory</c> by default,
    /// or <c>rabbitmq</c>), with every consumer that <paramref name="registerConsumers"/> adds on its own
    /// kebab-case, prefixed endpoint, the retry policy of <see cref="ConsumerRetryPolicy"/>, and the bus health check.
    /// </summary>
    public static IServiceCollection AddAggregatorMessaging(
        this IServiceCollection services,
        IConfiguration configuration,
        Action<IBusRegistrationConfigurator> registerConsumers)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(registerConsumers);

        var section = configuration.GetSection(MessagingOptions.SectionName);
        var options = section.Get<MessagingOptions>() ?? new MessagingOptions();
        services.AddOptions<MessagingOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MessagingOptions>, MessagingOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        // The host's telemetry, when it has any, exports the bus's traces and metrics without knowing the bus.
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(InstrumentationOptions.MeterName));
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(DiagnosticHeaders.DefaultListenerName));

        // Both must be registered before MassTransit's hosted service: hosted services are built and started in order.
        services.AddHostedService<MassTransitAmbientContext>();
        var broker = options.Transport == MessagingTransport.RabbitMq ? RabbitMqAddressOf(options) : null;
        if (broker is not null)
        {
            services.AddHostedService(provider => new RabbitMqStartupProbe(
                broker, options.RabbitMq, provider.GetRequiredService<ILogger<RabbitMqStartupProbe>>()));
        }

        services.TryAddSingleton<ReceiveEndpointStates>();
        services.AddReceiveEndpointObserver(provider => provider.GetRequiredService<ReceiveEndpointStates>());
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            BusReadinessCheck.Name,
            provider => new BusReadinessCheck(broker, options.RabbitMq, provider.GetRequiredService<ReceiveEndpointStates>()),
            HealthStatus.Unhealthy,
            ["ready"],
            options.RabbitMq.ConnectTimeout));
        services.TryAddSingleton<IBrokerOperations>(_ => broker is null
            ? new InMemoryBrokerOperations()
            : new RabbitMqBrokerOperations(broker, options.RabbitMq));
        services.TryAddSingleton<BrokerOperationsService>();

        services.AddOptions<MassTransitHostOptions>().Configure(host =>
        {
            // Without this, messages published right after start-up can be lost on a fresh broker.
            host.WaitUntilStarted = true;
            host.StartTimeout = options.StartTimeout;
            host.StopTimeout = options.StopTimeout;
            host.ConsumerStopTimeout = options.StopTimeout;
        });

        services.AddMassTransit(bus =>
        {
            bus.DisableUsageTelemetry();
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(options.EndpointPrefix, false));
            bus.AddConfigureEndpointsCallback((context, _, endpoint) => ConfigureReceiveEndpoint(context, endpoint, options));

            registerConsumers(bus);

            if (broker is null)
                bus.UsingInMemory((context, transport) => ConfigureInMemory(context, transport, options));
            else
                bus.UsingRabbitMq((context, transport) => ConfigureRabbitMq(context, transport, options, broker));
        });

        return services;
    }

    private static RabbitMqBrokerAddress RabbitMqAddressOf(MessagingOptions options) =>
        options.RabbitMq.Uri is { } uri
            ? RabbitMqBrokerAddress.Parse(uri)
            : throw new InvalidOperationException("Messaging:RabbitMq:Uri is required when Messaging:Transport is rabbitmq.");

    private static void ConfigureReceiveEndpoint(IRegistrationContext context, IReceiveEndpointConfigurator endpoint, MessagingOptions options)
    {
        if (options.Transport == MessagingTransport.InMemory || options.RabbitMq.DelayedExchange)
            ConsumerRetryPolicy.ApplyRedelivery(endpoint, options.Redelivery);
        ConsumerRetryPolicy.Apply(endpoint, options.Retry);

        // Messages a consumer publishes leave only once it succeeds, so a retried attempt announces nothing twice.
        endpoint.UseInMemoryOutbox(context);

        // Receive queues are durable and messages persistent by MassTransit's defaults; only the queue type is ours.
        if (options.RabbitMq.QuorumQueues && endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
            rabbit.SetQuorumQueue();
    }

    private static void ConfigureInMemory(IBusRegistrationContext context, IInMemoryBusFactoryConfigurator transport, MessagingOptions options)
    {
        if (options.ConcurrentMessageLimit is { } limit)
            transport.ConcurrentMessageLimit = limit;
        transport.PrefetchCount = options.PrefetchCount;
        transport.ConfigureEndpoints(context);
    }

    private static void ConfigureRabbitMq(
        IBusRegistrationContext context, IRabbitMqBusFactoryConfigurator transport, MessagingOptions options, RabbitMqBrokerAddress broker)
    {
        transport.Host(broker.Host, broker.Port, broker.VirtualHost, $"aggregator-{Environment.MachineName}", host =>
        {
            host.Username(broker.UserName);
            host.Password(broker.Password);
            host.PublisherConfirmation = true;
            host.RequestedConnectionTimeout(options.RabbitMq.ConnectTimeout);
            if (broker.UseTls)
                host.UseSsl(ssl => ssl.ServerName = broker.Host);
        });
        RabbitMqReconnectPolicy.Apply(transport, options.RabbitMq.ReconnectMaxDelay);

        transport.PrefetchCount = options.PrefetchCount;
        if (options.ConcurrentMessageLimit is { } limit)
            transport.ConcurrentMessageLimit = limit;
        transport.ConfigureEndpoints(context);
    }
}

using Aggregator.Testing.Brokers;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aggregator.Messaging.Tests.Support;

/// <summary>Builds generic hosts the way a worker's composition root does, on either transport.</summary>
public static class MessagingHosts
{
    public const string InMemory = "inmemory";
    public const string RabbitMq = "rabbitmq";

    /// <summary>Short retry pauses keep the retry tests fast; the count (three) is what they check.</summary>
    public static readonly IReadOnlyDictionary<string, string?> FastRetries = new Dictionary<string, string?>
    {
        ["Messaging:Retry:Intervals:0"] = "00:00:00.010",
        ["Messaging:Retry:Intervals:1"] = "00:00:00.020",
        ["Messaging:Retry:Intervals:2"] = "00:00:00.030",
    };

    public const int FastRetryCount = 3;

    /// <summary>The settings for the transport; a RabbitMQ test gets a virtual host of its own (or skips).</summary>
    public static async Task<(Dictionary<string, string?> Settings, TestBroker? Broker)> SettingsForAsync(string transport, CancellationToken cancellationToken)
    {
        if (transport == InMemory)
            return (new Dictionary<string, string?> { ["Messaging:Transport"] = InMemory }, null);

        var broker = await TestBroker.CreateAsync(cancellationToken);
        return (new Dictionary<string, string?>(broker.MessagingSettings()), broker);
    }

    public static IHost Build(
        IEnumerable<KeyValuePair<string, string?>> settings,
        Action<IBusRegistrationConfigurator> registerConsumers,
        Action<IServiceCollection>? configureServices = null,
        CapturedLogs? logs = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = "Testing",
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        if (logs is not null)
            builder.Logging.AddProvider(logs);

        builder.Services.AddSingleton<DeliveryLog>();
        builder.Services.AddAggregatorMessaging(builder.Configuration, registerConsumers);
        configureServices?.Invoke(builder.Services);
        return builder.Build();
    }
}

using System.Reflection;
using MassTransit;
using MassTransit.RabbitMqTransport.Configuration;

namespace Aggregator.Messaging.RabbitMq;

/// <summary>
/// How soon a receive endpoint connects again after it lost the broker. MassTransit 8 restarts a RabbitMQ receive
/// transport with a policy fixed in <see cref="RabbitMqHostConfiguration"/>: exponential from 3 s to 30 s, and its
/// retry count is never reset for the life of the process, so after a few failed attempts (or a few outages) every
/// reconnect waits about 30 s. It has no setting for it, so this replaces that policy with one that keeps its exception
/// filter (what counts as a lost connection) and caps the pause at <see cref="RabbitMqOptions.ReconnectMaxDelay"/>.
/// </summary>
public static class RabbitMqReconnectPolicy
{
    private const string BackingField = "<ReceiveTransportRetryPolicy>k__BackingField";

    /// <summary>Applies the capped policy to the host that <paramref name="transport"/> configures.</summary>
    /// <exception cref="InvalidOperationException">MassTransit no longer keeps the policy where this expects it.</exception>
    public static void Apply(IRabbitMqBusFactoryConfigurator transport, TimeSpan maxDelay)
    {
        ArgumentNullException.ThrowIfNull(transport);
        var host = HostOf(transport);
        var field = typeof(RabbitMqHostConfiguration).GetField(BackingField, BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw Unsupported($"{nameof(RabbitMqHostConfiguration)} has no {BackingField}");
        field.SetValue(host, Create(host.ReceiveTransportRetryPolicy, maxDelay));
    }

    /// <summary>
    /// The pauses start at a quarter of <paramref name="maxDelay"/> and double up to it. The limit is effectively
    /// unbounded: MassTransit counts every reconnect of the process's life against it and stops the endpoint for good
    /// when it is reached.
    /// </summary>
    internal static IRetryPolicy Create(IRetryPolicy original, TimeSpan maxDelay)
    {
        var first = maxDelay / 4;
        return Retry.CreatePolicy(retry =>
        {
            retry.Handle<Exception>(original.IsHandled);
            retry.Exponential(int.MaxValue, first, maxDelay, first);
        });
    }

    /// <summary>The receive transport policy the host of <paramref name="transport"/> uses now.</summary>
    public static IRetryPolicy Current(IRabbitMqBusFactoryConfigurator transport) => HostOf(transport).ReceiveTransportRetryPolicy;

    private static RabbitMqHostConfiguration HostOf(IRabbitMqBusFactoryConfigurator transport)
    {
        for (var type = transport.GetType(); type is not null; type = type.BaseType)
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (typeof(IRabbitMqHostConfiguration).IsAssignableFrom(field.FieldType) && field.GetValue(transport) is RabbitMqHostConfiguration host)
                    return host;
            }
        }

        throw Unsupported($"{transport.GetType().Name} holds no {nameof(RabbitMqHostConfiguration)}");
    }

    private static InvalidOperationException Unsupported(string what) => new(
        $"Cannot cap the RabbitMQ reconnect delay: {what}. The MassTransit version changed; check how it restarts receive transports.");
}

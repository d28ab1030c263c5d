using RabbitMQ.Client;

namespace Aggregator.Messaging.RabbitMq;

/// <summary>One AMQP connection opened and closed: proof that the broker answers and accepts this process's credentials.</summary>
internal static class RabbitMqHandshake
{
    public static async Task OpenAndCloseAsync(
        RabbitMqBrokerAddress address, RabbitMqOptions options, string connectionName, CancellationToken cancellationToken)
    {
        var factory = CreateFactory(address, options, connectionName);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        await using var connection = await factory.CreateConnectionAsync(timeout.Token);
        await connection.CloseAsync(timeout.Token);
    }

    /// <summary>A short-lived, non-recovering connection factory for this process's own AMQP work beside MassTransit.</summary>
    public static ConnectionFactory CreateFactory(RabbitMqBrokerAddress address, RabbitMqOptions options, string connectionName) => new()
    {
        HostName = address.Host,
        Port = address.Port,
        VirtualHost = address.VirtualHost,
        UserName = address.UserName,
        Password = address.Password,
        AutomaticRecoveryEnabled = false,
        RequestedConnectionTimeout = options.ConnectTimeout,
        ClientProvidedName = connectionName,
        Ssl = new SslOption { Enabled = address.UseTls, ServerName = address.Host },
    };
}

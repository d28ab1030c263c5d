using RabbitMQ.Client;

namespace Aggregator.Messaging.RabbitMq;

/// <summary>One AMQP connection opened and closed: proof that the broker answers and accepts this process's credentials.</summary>
internal static class RabbitMqHandshake
{
    public static async Task OpenAndCloseAsync(
        RabbitMqBrokerAddress address, RabbitMqOptions options, string connectionName, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
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

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        await using var connection = await factory.CreateConnectionAsync(timeout.Token);
        await connection.CloseAsync(timeout.Token);
    }
}

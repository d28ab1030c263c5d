namespace Aggregator.Messaging.RabbitMq;

/// <summary>Where and as whom to connect, parsed from <c>Messaging:RabbitMq:Uri</c>.</summary>
public sealed record RabbitMqBrokerAddress(string Host, ushort Port, string VirtualHost, string UserName, string Password, bool UseTls)
{
    private const ushort AmqpPort = 5672;
    private const ushort AmqpsPort = 5671;

    public static RabbitMqBrokerAddress Parse(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri)
            throw new InvalidOperationException("Messaging:RabbitMq:Uri must be an absolute amqp:// or amqps:// URI.");

        var useTls = uri.Scheme switch
        {
            "amqp" or "rabbitmq" => false,
            "amqps" or "rabbitmqs" => true,
            _ => throw new InvalidOperationException(
                $"Messaging:RabbitMq:Uri must be an amqp:// or amqps:// URI, not {uri.Scheme}://."),
        };

        var port = uri.IsDefaultPort || uri.Port <= 0 ? (useTls ? AmqpsPort : AmqpPort) : (ushort)uri.Port;

        // An empty path and a single slash both mean the default virtual host; "%2F" is how a URI spells it too.
        var path = uri.AbsolutePath.Trim('/');
        var virtualHost = path.Length == 0 ? "/" : Uri.UnescapeDataString(path);

        var (userName, password) = SplitUserInfo(uri.UserInfo);
        return new RabbitMqBrokerAddress(uri.Host, port, virtualHost, userName, password, useTls);
    }

    /// <summary>The broker's place, safe for logs and error messages: never the credentials.</summary>
    public override string ToString() => $"{Host}:{Port} (virtual host '{VirtualHost}')";

    private static (string UserName, string Password) SplitUserInfo(string userInfo)
    {
        if (string.IsNullOrEmpty(userInfo))
            return ("guest", "guest");

        var separator = userInfo.IndexOf(':', StringComparison.Ordinal);
        return separator < 0
            ? (Uri.UnescapeDataString(userInfo), string.Empty)
            : (Uri.UnescapeDataString(userInfo[..separator]), Uri.UnescapeDataString(userInfo[(separator + 1)..]));
    }
}

namespace Aggregator.Messaging.RabbitMq;

/// <summary>The broker could not be reached at start-up; the message names the broker's host, never its credentials.</summary>
public sealed class BrokerConnectionException : Exception
{
    public BrokerConnectionException()
    {
    }

    public BrokerConnectionException(string message)
        : base(message)
    {
    }

    public BrokerConnectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

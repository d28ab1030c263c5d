namespace Aggregator.Messaging.Outbox;

/// <summary>An outbox row that can never be published as it is: an unknown type or a payload that does not fit it.</summary>
public sealed class OutboxPayloadException : Exception
{
    public OutboxPayloadException()
    {
    }

    public OutboxPayloadException(string message)
        : base(message)
    {
    }

    public OutboxPayloadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

using System.Text.Json;

namespace Aggregator.Storage.Outbox;

/// <summary>
/// A message to store in the outbox with the write it announces, in the form the relay reads back: the message's
/// full type name and its JSON (System.Text.Json, web defaults). The use case chooses the message; storage only
/// stores it.
/// </summary>
public sealed record OutboxEntry(string MessageType, string Payload)
{
    public static OutboxEntry Of<TMessage>(TMessage message)
        where TMessage : class
    {
        ArgumentNullException.ThrowIfNull(message);
        var type = message.GetType();
        return new OutboxEntry(type.FullName!, JsonSerializer.Serialize(message, type, JsonSerializerOptions.Web));
    }
}

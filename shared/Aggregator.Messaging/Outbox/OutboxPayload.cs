using System.Collections.Frozen;
using System.Text.Json;
using Aggregator.Contracts;

namespace Aggregator.Messaging.Outbox;

/// <summary>
/// A contract message as an outbox row stores it: the contract's full type name and its JSON. Only types of the
/// contracts assembly resolve, so a stored row can never make the relay instantiate an arbitrary type.
/// </summary>
public sealed record OutboxPayload(string MessageType, string Json)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private static readonly FrozenDictionary<string, Type> ContractTypes = typeof(SubmissionReceived).Assembly
        .GetExportedTypes()
        .Where(type => type is { IsClass: true, IsAbstract: false, FullName: not null } && type.Namespace == typeof(SubmissionReceived).Namespace)
        .ToFrozenDictionary(type => type.FullName!, StringComparer.Ordinal);

    /// <summary>Serialises a contract message for <c>IOutboxStore</c>; throws for a type outside the contracts.</summary>
    public static OutboxPayload Serialize<T>(T message)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(message);
        var type = message.GetType();
        if (type.FullName is not { } name || !ContractTypes.TryGetValue(name, out var contract) || contract != type)
            throw new ArgumentException($"{type} is not a message contract of {typeof(SubmissionReceived).Namespace}.", nameof(message));

        return new OutboxPayload(name, JsonSerializer.Serialize(message, type, JsonOptions));
    }

    /// <summary>The contract type stored under <paramref name="messageType"/>, or null when there is none.</summary>
    public static Type? ResolveType(string messageType) =>
        ContractTypes.GetValueOrDefault(messageType);

    /// <summary>The message again, as its contract type.</summary>
    public (object Message, Type MessageType) Deserialize()
    {
        var type = ResolveType(MessageType)
            ?? throw new OutboxPayloadException($"'{MessageType}' is not a message contract of {typeof(SubmissionReceived).Namespace}.");

        try
        {
            var message = JsonSerializer.Deserialize(Json, type, JsonOptions)
                ?? throw new OutboxPayloadException($"The payload of a {MessageType} is null.");
            return (message, type);
        }
        catch (JsonException exception)
        {
            throw new OutboxPayloadException($"The payload of a {MessageType} is not valid JSON for it: {exception.Message}", exception);
        }
    }
}

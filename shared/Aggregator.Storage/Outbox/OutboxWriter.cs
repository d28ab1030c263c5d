using System.Data.Common;
using System.Text.Json;
using Dapper;

namespace Aggregator.Storage.Outbox;

/// <summary>Adds an outbox row inside the caller's transaction, so a message exists exactly when its record does.</summary>
internal static class OutboxWriter
{
    private const string InsertSql = """
        INSERT INTO outbox (message_type, payload, created_at, attempts)
        VALUES (@MessageType, @Payload, @CreatedAt, 0)
        """;

    public static string TypeName<TMessage>() => typeof(TMessage).FullName!;

    public static string Serialize<TMessage>(TMessage message) => JsonSerializer.Serialize(message, JsonSerializerOptions.Web);

    public static Task AddAsync<TMessage>(
        DbConnection connection, DbTransaction transaction, TMessage message, DateTimeOffset createdAt, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            InsertSql,
            new { MessageType = TypeName<TMessage>(), Payload = Serialize(message), CreatedAt = createdAt },
            transaction,
            cancellationToken: cancellationToken));
}

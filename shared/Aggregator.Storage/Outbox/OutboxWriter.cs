using System.Data.Common;
using Dapper;

namespace Aggregator.Storage.Outbox;

/// <summary>Adds outbox rows inside the caller's transaction, so a message exists exactly when its record does.</summary>
internal static class OutboxWriter
{
    private const string InsertSql = """
        INSERT INTO outbox (message_type, payload, created_at, attempts)
        VALUES (@MessageType, @Payload, @CreatedAt, 0)
        """;

    public static Task AddAsync(
        DbConnection connection,
        DbTransaction transaction,
        IReadOnlyCollection<OutboxEntry> entries,
        DateTimeOffset createdAt,
        CancellationToken cancellationToken) =>
        entries.Count == 0
            ? Task.CompletedTask
            : connection.ExecuteAsync(new CommandDefinition(
                InsertSql,
                entries.Select(entry => new { entry.MessageType, entry.Payload, CreatedAt = createdAt }),
                transaction,
                cancellationToken: cancellationToken));
}

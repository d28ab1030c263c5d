using Aggregator.Storage.Connections;
using Aggregator.Storage.Dialects;
using Dapper;

namespace Aggregator.Storage.Outbox;

public sealed class OutboxStore(IDbConnectionFactory connections, SqlDialect dialect, StorageClock clock) : IOutboxStore
{
    private const int MaxErrorLength = 4000;

    private const string MarkPublishedSql = """
        UPDATE outbox SET published_at = @PublishedAt WHERE id = @Id AND published_at IS NULL
        """;

    private const string RecordFailureSql = """
        UPDATE outbox SET attempts = attempts + 1, last_error = @Error WHERE id = @Id
        """;

    public async Task<IReadOnlyList<OutboxMessage>> GetPendingAsync(DateTimeOffset createdBefore, int max, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<PendingRow>(new CommandDefinition(
            dialect.SelectPendingOutboxSql, new { CreatedBefore = createdBefore, Max = max }, cancellationToken: cancellationToken));
        return [.. rows.Select(row => new OutboxMessage(row.Id, row.MessageType, row.Payload, row.CreatedAt, row.Attempts))];
    }

    public async Task MarkPublishedAsync(IReadOnlyCollection<long> ids, DateTimeOffset publishedAt, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            MarkPublishedSql,
            ids.Select(id => new { Id = id, PublishedAt = StorageClock.Truncate(publishedAt) }),
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task RecordFailedAttemptAsync(long id, string error, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            RecordFailureSql,
            new { Id = id, Error = error.Length > MaxErrorLength ? error[..MaxErrorLength] : error },
            cancellationToken: cancellationToken));
    }

    public async Task<long> AddAsync(string messageType, string payload, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            dialect.InsertOutboxReturningIdSql,
            new { MessageType = messageType, Payload = payload, CreatedAt = clock.UtcNow() },
            cancellationToken: cancellationToken));
    }

    private sealed record PendingRow
    {
        public required long Id { get; init; }

        public required string MessageType { get; init; }

        public required string Payload { get; init; }

        public required DateTimeOffset CreatedAt { get; init; }

        public required int Attempts { get; init; }
    }
}

using Aggregator.Storage.Connections;
using Aggregator.Storage.Dialects;
using System.Text.Json;
using Dapper;

namespace Aggregator.Storage.Outbox;

public sealed class OutboxStore(IDbConnectionFactory connections, SqlDialect dialect, StorageClock clock) : IOutboxStore
{
    private const int MaxErrorLength = 4000;

    // One statement per batch rather than one per row: the relay marks every confirmed row of a claim at once.
    private const string PostgresMarkPublishedSql = """
        UPDATE outbox SET published_at = @PublishedAt, status = 'published', claimed_until = NULL
        WHERE id = ANY(@Ids) AND status = 'pending'
        """;

    private const string SqliteMarkPublishedSql = """
        UPDATE outbox SET published_at = @PublishedAt, status = 'published', claimed_until = NULL
        WHERE id IN (SELECT value FROM json_each(@Ids)) AND status = 'pending'
        """;

    // A JSON array rather than Dapper's list expansion, which would meet SQL Server's 2,100-parameter limit.
    private const string MarkPublishedSqlServerSql = """
        UPDATE outbox SET published_at = @PublishedAt, status = N'published', claimed_until = NULL
        WHERE id IN (SELECT CAST(value AS bigint) FROM OPENJSON(@Ids)) AND status = N'pending'
        """;

    private const string RecordFailureSql = """
        UPDATE outbox
        SET attempts = attempts + 1,
            last_error = @Error,
            status = CASE WHEN attempts + 1 >= @DeadAfterAttempts THEN 'dead' ELSE status END
        WHERE id = @Id AND status = 'pending'
        """;

    private const string SelectStatusSql = "SELECT status FROM outbox WHERE id = @Id";

    private const string CountSql = """
        SELECT
            (SELECT COUNT(*) FROM outbox WHERE status = 'pending') AS pending,
            (SELECT COUNT(*) FROM outbox WHERE status = 'dead') AS dead
        """;

    private const string BacklogSql = """
        SELECT
            (SELECT COUNT(*) FROM outbox WHERE status = 'pending') AS pending,
            (SELECT COUNT(*) FROM outbox WHERE status = 'dead') AS dead,
            (SELECT MIN(created_at) FROM outbox WHERE status = 'pending') AS oldest_pending_created_at
        """;

    private const string DeletePublishedSql = "DELETE FROM outbox WHERE status = 'published' AND published_at < @Before";

    public async Task<IReadOnlyList<OutboxMessage>> GetPendingAsync(DateTimeOffset createdBefore, int max, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<PendingRow>(new CommandDefinition(
            dialect.SelectPendingOutboxSql, new { CreatedBefore = createdBefore, Max = max }, cancellationToken: cancellationToken));
        return [.. rows.Select(row => new OutboxMessage(row.Id, row.MessageType, row.Payload, row.CreatedAt, row.Attempts))];
    }

    public async Task<IReadOnlyList<OutboxMessage>> ClaimPendingAsync(DateTimeOffset createdBefore, int max, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow();
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<PendingRow>(new CommandDefinition(
            dialect.ClaimOutboxSql,
            new { CreatedBefore = createdBefore, Max = max, Now = now, ClaimedUntil = now + lease },
            cancellationToken: cancellationToken));
        // RETURNING and OUTPUT promise no order.
        return [.. rows.OrderBy(row => row.Id).Select(row => new OutboxMessage(row.Id, row.MessageType, row.Payload, row.CreatedAt, row.Attempts))];
    }

    public async Task MarkPublishedAsync(IReadOnlyCollection<long> ids, DateTimeOffset publishedAt, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }

        var (sql, idsParameter) = dialect.Provider switch
        {
            DatabaseProvider.Postgres => (PostgresMarkPublishedSql, (object)ids.ToArray()),
            DatabaseProvider.SqlServer => (MarkPublishedSqlServerSql, JsonSerializer.Serialize(ids)),
            _ => (SqliteMarkPublishedSql, JsonSerializer.Serialize(ids)),
        };
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            sql, new { Ids = idsParameter, PublishedAt = StorageClock.Truncate(publishedAt) }, cancellationToken: cancellationToken));
    }

    public async Task<bool> RecordFailedAttemptAsync(long id, string error, int deadAfterAttempts, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            RecordFailureSql,
            new { Id = id, Error = error.Length > MaxErrorLength ? error[..MaxErrorLength] : error, DeadAfterAttempts = Math.Max(1, deadAfterAttempts) },
            cancellationToken: cancellationToken));
        if (updated == 0)
            return false;
        var status = await connection.ExecuteScalarAsync<string>(new CommandDefinition(SelectStatusSql, new { Id = id }, cancellationToken: cancellationToken));
        return status == OutboxStatuses.Dead;
    }

    public async Task<OutboxCounts> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var counts = await connection.QuerySingleAsync<CountRow>(new CommandDefinition(CountSql, cancellationToken: cancellationToken));
        return new OutboxCounts(counts.Pending, counts.Dead);
    }

    public async Task<OutboxBacklog> ReadBacklogAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<BacklogRow>(new CommandDefinition(BacklogSql, cancellationToken: cancellationToken));
        return new OutboxBacklog(row.Pending, row.Dead, row.OldestPendingCreatedAt);
    }

    public async Task<int> DeletePublishedBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(DeletePublishedSql, new { Before = StorageClock.Truncate(before) }, cancellationToken: cancellationToken));
    }

    public async Task<long> AddAsync(string messageType, string payload, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            dialect.InsertOutboxReturningIdSql,
            new { MessageType = messageType, Payload = payload, CreatedAt = clock.UtcNow() },
            cancellationToken: cancellationToken));
    }

    private sealed record CountRow
    {
        public required long Pending { get; init; }

        public required long Dead { get; init; }
    }

    private sealed record BacklogRow
    {
        public required long Pending { get; init; }

        public required long Dead { get; init; }

        public DateTimeOffset? OldestPendingCreatedAt { get; init; }
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

using Aggregator.Storage.Idempotency;
using Aggregator.Storage.Maintenance;
using Aggregator.Storage.Outbox;
using Aggregator.Testing.Databases;
using Dapper;
using Microsoft.Extensions.Options;

namespace Aggregator.Storage.Tests;

public abstract partial class StorageSuite
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Claimed_outbox_rows_are_not_claimed_again_until_their_lease_runs_out()
    {
        await using var database = await (await TestDatabases.TryCreateAsync(fixture.Provider)).Require().MigrateAsync(Token);
        var store = new StorageHarness(database).Outbox;
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
            ids.Add(await store.AddAsync("Test.Claimed", $$"""{"n":{{i}}}""", Token));
        var createdBefore = DateTimeOffset.UtcNow.AddMinutes(1);

        var first = await store.ClaimPendingAsync(createdBefore, 3, Lease, Token);
        var second = await store.ClaimPendingAsync(createdBefore, 3, Lease, Token);
        var none = await store.ClaimPendingAsync(createdBefore, 3, Lease, Token);
        await store.MarkPublishedAsync([ids[0]], DateTimeOffset.UtcNow, Token);
        var late = await store.AddAsync("Test.Claimed", "{}", Token);
        // A lease already over stands for a relay that died holding its row.
        var diedHolding = await new StorageHarness(database).Outbox.ClaimPendingAsync(createdBefore, 10, TimeSpan.FromMinutes(-2), Token);
        var takenOver = await store.ClaimPendingAsync(createdBefore, 10, Lease, Token);
        var stillHeld = await store.ClaimPendingAsync(createdBefore, 10, Lease, Token);

        Assert.Equal(ids.Take(3), first.Select(row => row.Id));
        Assert.Equal(ids.Skip(3), second.Select(row => row.Id));
        Assert.Empty(none);
        Assert.Equal([late], diedHolding.Select(row => row.Id));
        Assert.Equal([late], takenOver.Select(row => row.Id));
        Assert.Empty(stillHeld);
        Assert.Equal(new OutboxCounts(Pending: 5, Dead: 0), await store.CountAsync(Token));
    }

    [Fact]
    public async Task A_batch_larger_than_a_statement_parameter_limit_is_marked_at_once_leaving_dead_and_earlier_marked_rows_as_they_were()
    {
        await using var database = await (await TestDatabases.TryCreateAsync(fixture.Provider)).Require().MigrateAsync(Token);
        var store = new StorageHarness(database).Outbox;
        var ids = new List<long>();
        for (var i = 0; i < 2_500; i++)
            ids.Add(await store.AddAsync("Test.Batch", "{}", Token));
        var earlier = DateTimeOffset.UtcNow.AddDays(-3);
        await store.MarkPublishedAsync([ids[0]], earlier, Token);
        await store.RecordFailedAttemptAsync(ids[1], "poison", 1, Token);
        var unlisted = await store.AddAsync("Test.Unlisted", "{}", Token);

        await store.MarkPublishedAsync(ids, DateTimeOffset.UtcNow, Token);

        await using var connection = await database.Connections.OpenAsync(Token);
        var statuses = (await connection.QueryAsync<(string Status, long Count)>(new CommandDefinition(
            "SELECT status, COUNT(*) FROM outbox GROUP BY status", cancellationToken: Token))).ToDictionary(row => row.Status, row => row.Count);
        var firstPublishedAt = await connection.ExecuteScalarAsync<DateTimeOffset>(new CommandDefinition(
            "SELECT published_at FROM outbox WHERE id = @Id", new { Id = ids[0] }, cancellationToken: Token));
        var claimable = await store.ClaimPendingAsync(DateTimeOffset.UtcNow.AddMinutes(1), 10, Lease, Token);
        Assert.Equal(new Dictionary<string, long> { ["published"] = 2_499, ["dead"] = 1, ["pending"] = 1 }, statuses);
        Assert.Equal(StorageClock.Truncate(earlier), firstPublishedAt);
        Assert.Equal([unlisted], claimable.Select(row => row.Id));
    }

    [Fact]
    public async Task Racing_claims_on_one_database_never_hand_out_a_row_twice()
    {
        await using var database = await (await TestDatabases.TryCreateAsync(fixture.Provider)).Require().MigrateAsync(Token);
        var writer = new StorageHarness(database).Outbox;
        for (var i = 0; i < 200; i++)
            await writer.AddAsync("Test.Raced", "{}", Token);
        var createdBefore = DateTimeOffset.UtcNow.AddMinutes(1);

        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var store = new StorageHarness(database).Outbox;
            var mine = new List<long>();
            while ((await store.ClaimPendingAsync(createdBefore, 7, Lease, Token)) is { Count: > 0 } batch)
                mine.AddRange(batch.Select(row => row.Id));
            return mine;
        }, Token)));

        var all = claims.SelectMany(ids => ids).ToList();
        Assert.Equal(200, all.Count);
        Assert.Equal(200, all.Distinct().Count());
    }

    [Fact]
    public async Task A_row_that_fails_its_allowed_attempts_is_dead_with_its_last_error_counted_and_never_claimed()
    {
        await using var database = await (await TestDatabases.TryCreateAsync(fixture.Provider)).Require().MigrateAsync(Token);
        var store = new StorageHarness(database).Outbox;
        var poison = await store.AddAsync("Test.Poison", "{}", Token);
        var healthy = await store.AddAsync("Test.Healthy", "{}", Token);

        var outcomes = new List<bool>();
        for (var attempt = 1; attempt <= 3; attempt++)
            outcomes.Add(await store.RecordFailedAttemptAsync(poison, $"rejected {attempt}", 3, Token));
        var afterDeath = await store.RecordFailedAttemptAsync(poison, "rejected again", 3, Token);
        var claimable = await store.ClaimPendingAsync(DateTimeOffset.UtcNow.AddMinutes(1), 10, Lease, Token);

        Assert.Equal([false, false, true], outcomes);
        Assert.False(afterDeath);
        Assert.Equal([healthy], claimable.Select(row => row.Id));
        Assert.Equal(new OutboxCounts(Pending: 1, Dead: 1), await store.CountAsync(Token));
        await using var connection = await database.Connections.OpenAsync(Token);
        var status = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT status FROM outbox WHERE id = @Id", new { Id = poison }, cancellationToken: Token));
        var attempts = await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT attempts FROM outbox WHERE id = @Id", new { Id = poison }, cancellationToken: Token));
        var lastError = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT last_error FROM outbox WHERE id = @Id", new { Id = poison }, cancellationToken: Token));
        Assert.Equal(("dead", 3, "rejected 3"), (status, attempts, lastError));
    }

    [Fact]
    public async Task The_backlog_counts_pending_and_dead_rows_and_dates_the_oldest_pending_one()
    {
        await using var database = await (await TestDatabases.TryCreateAsync(fixture.Provider)).Require().MigrateAsync(Token);
        var store = new StorageHarness(database).Outbox;
        var empty = await store.ReadBacklogAsync(Token);
        var published = await store.AddAsync("Test.Published", "{}", Token);
        var before = StorageClock.Truncate(DateTimeOffset.UtcNow);
        await store.AddAsync("Test.Oldest", "{}", Token);
        await store.AddAsync("Test.Newer", "{}", Token);
        var dead = await store.AddAsync("Test.Dead", "{}", Token);
        var after = StorageClock.Truncate(DateTimeOffset.UtcNow);
        await store.MarkPublishedAsync([published], DateTimeOffset.UtcNow, Token);
        await store.RecordFailedAttemptAsync(dead, "poison", 1, Token);
        await using var connection = await database.Connections.OpenAsync(Token);
        var oldest = await connection.QuerySingleAsync<DateTimeOffset>(new CommandDefinition(
            "SELECT created_at FROM outbox WHERE message_type = 'Test.Oldest'", cancellationToken: Token));

        var backlog = await store.ReadBacklogAsync(Token);

        Assert.Equal(new OutboxBacklog(0, 0, null), empty);
        Assert.Equal(new OutboxBacklog(Pending: 2, Dead: 1, OldestPendingCreatedAt: oldest), backlog);
        Assert.InRange(backlog.OldestPendingCreatedAt!.Value, before, after);
    }

    [Fact]
    public async Task Cleanup_removes_only_old_published_rows_and_expired_idempotency_keys()
    {
        await using var database = await (await TestDatabases.TryCreateAsync(fixture.Provider)).Require().MigrateAsync(Token);
        var harness = new StorageHarness(database);
        var store = harness.Outbox;
        var now = DateTimeOffset.UtcNow;
        var oldPublished = await store.AddAsync("Test.Old", "{}", Token);
        var recentPublished = await store.AddAsync("Test.Recent", "{}", Token);
        var pending = await store.AddAsync("Test.Pending", "{}", Token);
        var dead = await store.AddAsync("Test.Dead", "{}", Token);
        await store.MarkPublishedAsync([oldPublished], now.AddDays(-10), Token);
        await store.MarkPublishedAsync([recentPublished], now.AddDays(-1), Token);
        await store.RecordFailedAttemptAsync(dead, "poison", 1, Token);
        await using var connection = await database.Connections.OpenAsync(Token);
        foreach (var (key, createdAt) in new[] { ("expired", now.AddDays(-2)), ("fresh", now.AddHours(-1)) })
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO idempotency_keys (owner_key_id, idempotency_key, request_hash, status_code, created_at)
                VALUES ('owner', @Key, 'hash', 202, @CreatedAt)
                """,
                new { Key = key, CreatedAt = StorageClock.Truncate(createdAt) },
                cancellationToken: Token));
        }

        var cleanup = new DatabaseCleanup(
            store,
            harness.Idempotency,
            Options.Create(new DatabaseCleanupOptions { PublishedOutboxRetention = TimeSpan.FromDays(7), IdempotencyKeyRetention = TimeSpan.FromHours(24) }),
            TimeProvider.System);
        var result = await cleanup.RunOnceAsync(Token);
        var again = await cleanup.RunOnceAsync(Token);

        Assert.Equal(new DatabaseCleanupResult(PublishedOutboxRows: 1, IdempotencyKeys: 1), result);
        Assert.Equal(new DatabaseCleanupResult(0, 0), again);
        var remaining = await connection.QueryAsync<long>(new CommandDefinition("SELECT id FROM outbox ORDER BY id", cancellationToken: Token));
        Assert.Equal([recentPublished, pending, dead], remaining);
        Assert.NotNull(await harness.Idempotency.TryGetAsync("owner", "fresh", Token));
        Assert.Null(await harness.Idempotency.TryGetAsync("owner", "expired", Token));
    }
}

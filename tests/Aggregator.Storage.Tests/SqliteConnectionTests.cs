using Aggregator.Testing.Databases;
using Dapper;

namespace Aggregator.Storage.Tests;

public sealed class SqliteConnectionTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Embedded_connections_use_wal_enforce_foreign_keys_and_wait_for_locks()
    {
        await using var database = await (await TestDatabases.SqliteAsync()).MigrateAsync(Token);
        await using var connection = await database.CreateConnectionFactory().OpenAsync(Token);

        var journalMode = await connection.ExecuteScalarAsync<string>(new CommandDefinition("PRAGMA journal_mode", cancellationToken: Token));
        var foreignKeys = await connection.ExecuteScalarAsync<long>(new CommandDefinition("PRAGMA foreign_keys", cancellationToken: Token));
        var busyTimeout = await connection.ExecuteScalarAsync<long>(new CommandDefinition("PRAGMA busy_timeout", cancellationToken: Token));

        Assert.Equal(("wal", 1L), (journalMode, foreignKeys));
        Assert.True(busyTimeout >= 5000, $"busy_timeout is {busyTimeout} ms");
    }
}

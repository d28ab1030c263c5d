using Aggregator.Storage.Connections;
using Aggregator.Testing.Databases;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Aggregator.Storage.Tests;

/// <summary>Storage says "the database is unavailable" in one way, whatever the driver threw.</summary>
public sealed class ConnectionFaultTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Opening_a_connection_to_a_stopped_postgres_server_raises_database_unavailable_naming_the_database()
    {
        await using var cluster = await PrivatePostgres.StartAsync(Token);
        var database = await cluster.CreateDatabaseAsync(Token);
        var connections = database.CreateConnectionFactory();
        await using (var before = await connections.OpenAsync(Token))
        {
            Assert.Equal(1, await before.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: Token)));
        }

        await using var held = await connections.OpenAsync(Token);
        await cluster.StopServerAsync(Token);

        var error = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => connections.OpenAsync(Token));
        Assert.Contains(database.Name, error.Message, StringComparison.Ordinal);
        // A connection opened before the outage fails in the middle of a statement, raw from the driver.
        var midStatement = await Assert.ThrowsAnyAsync<NpgsqlException>(
            () => held.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: Token)));
        Assert.True(TransientDatabaseErrors.IsUnavailable(midStatement), midStatement.ToString());
    }

    [Fact]
    public async Task A_locked_embedded_database_is_unavailable_not_a_bug()
    {
        await using var database = await (await TestDatabases.SqliteAsync()).MigrateAsync(Token);
        await using var holder = new SqliteConnection(database.ConnectionString);
        await holder.OpenAsync(Token);
        await holder.ExecuteAsync(new CommandDefinition("BEGIN EXCLUSIVE", cancellationToken: Token));
        await using var waiter = new SqliteConnection(new SqliteConnectionStringBuilder(database.ConnectionString) { DefaultTimeout = 1 }.ToString());
        await waiter.OpenAsync(Token);
        await waiter.ExecuteAsync(new CommandDefinition("PRAGMA busy_timeout = 0", cancellationToken: Token));

        var busy = await Assert.ThrowsAsync<SqliteException>(
            () => waiter.ExecuteAsync(new CommandDefinition("DELETE FROM outbox", cancellationToken: Token)));

        Assert.Equal((5, true), (busy.SqliteErrorCode, TransientDatabaseErrors.IsUnavailable(busy)));
        Assert.IsType<DatabaseUnavailableException>(TransientDatabaseErrors.AsUnavailable(busy, "sqlite database 'x'"));
        await holder.ExecuteAsync(new CommandDefinition("ROLLBACK", cancellationToken: Token));
    }

    [Fact]
    public async Task An_embedded_database_whose_directory_is_gone_raises_database_unavailable()
    {
        var path = Path.Combine(Path.GetTempPath(), $"aggregator-missing-{Guid.NewGuid():N}", "aggregator.db");
        var connections = new SqliteConnectionFactory(new SqliteConnectionStringBuilder { DataSource = path }.ToString());

        var error = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => connections.OpenAsync(Token));

        Assert.IsType<SqliteException>(error.InnerException);
    }

    [Fact]
    public void A_statement_fault_is_not_mistaken_for_an_outage()
    {
        Assert.False(TransientDatabaseErrors.IsUnavailable(new InvalidOperationException("no such thing")));
        Assert.Null(TransientDatabaseErrors.AsUnavailable(new SqliteException("constraint failed", 19), "sqlite database 'x'"));
    }
}

using Aggregator.Testing.Databases;
using Dapper;
using Npgsql;

namespace Aggregator.Storage.Tests;

public sealed class PrivatePostgresTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_private_cluster_refuses_connections_while_stopped_and_keeps_its_data_across_a_restart()
    {
        await using var cluster = await PrivatePostgres.StartAsync(Token);
        var database = await (await cluster.CreateDatabaseAsync(Token)).MigrateAsync(Token);
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.ExecuteAsync(new CommandDefinition("CREATE TABLE survivor (id integer)", cancellationToken: Token));
            await connection.ExecuteAsync(new CommandDefinition("INSERT INTO survivor (id) VALUES (7)", cancellationToken: Token));
        }

        await cluster.StopServerAsync(Token);
        await using (var refused = new NpgsqlConnection(database.ConnectionString))
        {
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => refused.OpenAsync(Token));
        }

        await cluster.StartServerAsync(Token);
        await using var again = new NpgsqlConnection(database.ConnectionString);
        Assert.Equal(7, await again.ExecuteScalarAsync<int>(new CommandDefinition("SELECT id FROM survivor", cancellationToken: Token)));
    }
}

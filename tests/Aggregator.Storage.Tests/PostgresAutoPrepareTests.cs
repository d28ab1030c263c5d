using Aggregator.Storage.Connections;
using Aggregator.Testing.Databases;
using Dapper;

namespace Aggregator.Storage.Tests;

public sealed class PostgresAutoPrepareTests
{
    private const string RepeatedSql = "SELECT CAST(@N AS integer) + 40 AS auto_prepare_probe";
    private const string PreparedSql = "SELECT COUNT(*) FROM pg_prepared_statements WHERE statement LIKE '%auto_prepare_probe%' AND statement NOT LIKE '%pg_prepared_statements%'";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("", 1)]
    [InlineData(";Max Auto Prepare=0", 0)]
    public async Task A_statement_run_repeatedly_is_prepared_on_the_server_unless_the_connection_string_turns_it_off(string suffix, long expectedPrepared)
    {
        await using var database = await TestDatabases.PostgresAsync();
        await using var factory = new PostgresConnectionFactory(database.ConnectionString + suffix);
        await using var connection = await factory.OpenAsync(Token);

        for (var n = 0; n < 10; n++)
            Assert.Equal(n + 40, await connection.ExecuteScalarAsync<int>(new CommandDefinition(RepeatedSql, new { N = n }, cancellationToken: Token)));

        Assert.Equal(expectedPrepared, await connection.ExecuteScalarAsync<long>(new CommandDefinition(PreparedSql, cancellationToken: Token)));
    }

    [Fact]
    public void An_explicit_setting_in_the_connection_string_is_kept()
    {
        Assert.Contains("Max Auto Prepare=64", PostgresConnectionFactory.WithServiceDefaults("Host=db;Database=agg"), StringComparison.Ordinal);
        Assert.Contains("Max Auto Prepare=8", PostgresConnectionFactory.WithServiceDefaults("Host=db;Max Auto Prepare=8"), StringComparison.Ordinal);
        Assert.Contains("No Reset On Close=True", PostgresConnectionFactory.WithServiceDefaults("Host=db;Database=agg"), StringComparison.Ordinal);
        Assert.Contains("No Reset On Close=False", PostgresConnectionFactory.WithServiceDefaults("Host=db;No Reset On Close=false"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "7MB")]
    [InlineData(";No Reset On Close=false", "4MB")]
    public async Task A_pooled_connection_is_handed_out_again_without_a_reset_unless_the_connection_string_asks_for_one(string suffix, string workMemAfter)
    {
        await using var database = await TestDatabases.PostgresAsync();
        await using var factory = new PostgresConnectionFactory(database.ConnectionString + ";Maximum Pool Size=1" + suffix);
        await using (var first = await factory.OpenAsync(Token))
        {
            await first.ExecuteAsync(new CommandDefinition("SET work_mem = '7MB'", cancellationToken: Token));
        }

        await using var second = await factory.OpenAsync(Token);
        Assert.Equal(workMemAfter, await second.ExecuteScalarAsync<string>(new CommandDefinition("SHOW work_mem", cancellationToken: Token)));
    }
}

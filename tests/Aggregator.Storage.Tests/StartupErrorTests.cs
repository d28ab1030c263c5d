using Aggregator.Storage.Connections;
using Aggregator.Storage.Migrations;
using Aggregator.Testing.Databases;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Aggregator.Storage.Tests;

public sealed class StartupErrorTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_unreachable_server_is_named_in_the_error_without_its_password()
    {
        var migrator = Migrator("postgres", "Host=127.0.0.1;Port=1;Database=aggregator;Username=app;Password=s3cret-value;Timeout=2", retries: 1);

        var error = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => migrator.MigrateAsync(Token));

        Assert.Contains("postgres database 'aggregator' on 127.0.0.1:1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-value", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_credentials_fail_at_once_without_retries()
    {
        var server = Environment.GetEnvironmentVariable(TestDatabases.PostgresVariable);
        if (string.IsNullOrEmpty(server))
        {
            Aggregator.Testing.Skips.Skip($"{TestDatabases.PostgresVariable} is not set: no PostgreSQL server to refuse a password.");
        }

        var wrong = new NpgsqlConnectionStringBuilder(server) { Password = "wrong-password-value", Pooling = false }.ConnectionString;
        // A retry would wait 30 s, far longer than any slow machine needs for one refused attempt.
        var migrator = Migrator("postgres", wrong, retries: 5, delay: TimeSpan.FromSeconds(30));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => migrator.MigrateAsync(Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(25), $"Took {clock.Elapsed}: the refusal was retried.");
        Assert.Contains("refused the configured credentials", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password-value", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sqlite_file_in_a_missing_folder_is_named_in_the_error()
    {
        var path = Path.Combine(Path.GetTempPath(), "aggregator-missing-" + Guid.NewGuid().ToString("N"), "aggregator.db");
        var migrator = Migrator("sqlite", $"Data Source={path}", retries: 3);

        var error = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => migrator.MigrateAsync(Token));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres", "Host=db.internal;Port=5433;Database=agg;Username=u;Password=p4ss-word", "postgres database 'agg' on db.internal:5433")]
    [InlineData("sqlserver", "Server=sql01,1433;Database=agg;User Id=sa;Password=p4ss-word;TrustServerCertificate=true", "sqlserver database 'agg' on sql01,1433")]
    [InlineData("sqlite", "Data Source=/var/lib/aggregator/aggregator.db", "sqlite database '/var/lib/aggregator/aggregator.db'")]
    [InlineData("postgres", "Host=x;Password=p4ss-word;Bogus Keyword=1", "postgres database (malformed connection string)")]
    public void A_database_is_described_without_its_password(string provider, string connectionString, string expected)
    {
        var description = DatabaseDescription.Of(DatabaseProviders.Parse(provider), connectionString);

        Assert.Equal(expected, description);
    }

    [Fact]
    public void An_unknown_provider_is_reported_by_name()
    {
        var error = Assert.Throws<InvalidOperationException>(() => DatabaseProviders.Parse("oracle"));

        Assert.Contains("'oracle'", error.Message, StringComparison.Ordinal);
    }

    private static DatabaseMigrator Migrator(string provider, string connectionString, int retries, TimeSpan? delay = null) => new(
        new DatabaseOptions
        {
            Provider = provider,
            ConnectionString = connectionString,
            StartupRetries = retries,
            StartupRetryDelay = delay ?? TimeSpan.FromMilliseconds(50),
        },
        NullLogger<DatabaseMigrator>.Instance);
}

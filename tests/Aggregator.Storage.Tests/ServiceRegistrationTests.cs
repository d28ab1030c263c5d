using Aggregator.Storage.Connections;
using Aggregator.Storage.Dialects;
using Aggregator.Storage.Migrations;
using Aggregator.Storage.Outbox;
using Aggregator.Storage.Rollups;
using Aggregator.Storage.Submissions;
using Aggregator.Testing.Databases;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aggregator.Storage.Tests;

public sealed class ServiceRegistrationTests
{
    [Fact]
    public void Without_configuration_the_embedded_sqlite_file_is_used()
    {
        using var services = Build(new Dictionary<string, string?>());

        var connections = services.GetRequiredService<IDbConnectionFactory>();

        Assert.Equal(DatabaseProvider.Sqlite, connections.Provider);
        Assert.Equal("sqlite database 'aggregator.db'", connections.Description);
        Assert.Same(SqlDialect.Sqlite, services.GetRequiredService<SqlDialect>());
    }

    [Fact]
    public async Task A_configured_database_is_migrated_and_served_by_every_repository()
    {
        await using var database = await TestDatabases.SqliteAsync();
        await using var services = Build(database.Settings);

        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);

        Assert.Empty(await services.GetRequiredService<IOutboxStore>().GetPendingAsync(DateTimeOffset.UtcNow, 10, TestContext.Current.CancellationToken));
        Assert.NotNull(services.GetRequiredService<SubmissionRepository>());
        Assert.NotNull(services.GetRequiredService<RollupRepository>());
    }

    [Fact]
    public void The_provider_comes_from_the_Database_section()
    {
        using var services = Build(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "postgres",
            ["Database:ConnectionString"] = "Host=db;Database=agg;Username=u;Password=p",
        });

        Assert.Same(SqlDialect.Postgres, services.GetRequiredService<SqlDialect>());
        Assert.Equal("postgres database 'agg' on db:5432", services.GetRequiredService<IDbConnectionFactory>().Description);
    }

    private static ServiceProvider Build(IReadOnlyDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning)).AddAggregatorStorage(configuration).BuildServiceProvider();
    }
}

using Xunit;
using Aggregator.Storage;

namespace Aggregator.Testing.Databases;

/// <summary>
/// A migrated database shared by one test class and dropped after it. When the provider is neither configured nor
/// startable here, the fixture still starts, and each test that asks for <see cref="Database"/> skips with the reason;
/// a configured server that is down fails the fixture, and so every test of the class.
/// </summary>
public abstract class DatabaseFixture(DatabaseProvider provider) : IAsyncLifetime
{
    private TestDatabaseAvailability _availability = TestDatabaseAvailability.Unavailable("The fixture has not started.");

    public DatabaseProvider Provider { get; } = provider;

    /// <summary>The migrated database, or skips the calling test.</summary>
    public TestDatabase Database => _availability.Require();

    public async ValueTask InitializeAsync()
    {
        _availability = await TestDatabases.TryCreateAsync(Provider);
        if (_availability.Database is { } database)
        {
            await database.MigrateAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_availability.Database is { } database)
        {
            await database.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteDatabaseFixture() : DatabaseFixture(DatabaseProvider.Sqlite);

public sealed class PostgresDatabaseFixture() : DatabaseFixture(DatabaseProvider.Postgres);

public sealed class SqlServerDatabaseFixture() : DatabaseFixture(DatabaseProvider.SqlServer);

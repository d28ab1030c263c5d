using Aggregator.Storage;
using Aggregator.Storage.Connections;
using Aggregator.Storage.Migrations;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aggregator.Testing.Databases;

/// <summary>A fresh, uniquely named database that exists for one test (or one test class) and is dropped on dispose.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly Func<ValueTask> _drop;
    private int _disposed;

    internal TestDatabase(DatabaseProvider provider, string name, string connectionString, Func<ValueTask> drop)
    {
        Provider = provider;
        Name = name;
        ConnectionString = connectionString;
        _drop = drop;
    }

    public DatabaseProvider Provider { get; }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>Options for <c>AddAggregatorStorage</c>, with start-up retries kept short for tests.</summary>
    public DatabaseOptions Options => new()
    {
        Provider = Provider.Name(),
        ConnectionString = ConnectionString,
        StartupRetries = 2,
        StartupRetryDelay = TimeSpan.FromMilliseconds(200),
    };

    /// <summary>The <c>Database:*</c> configuration keys that point a host at this database.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Database:Provider"] = Provider.Name(),
        ["Database:ConnectionString"] = ConnectionString,
    };

    public IDbConnectionFactory CreateConnectionFactory() => StorageServiceCollectionExtensions.CreateConnectionFactory(Options);

    public DatabaseMigrator CreateMigrator() => new(Options, NullLogger<DatabaseMigrator>.Instance);

    public async Task<TestDatabase> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await CreateMigrator().MigrateAsync(cancellationToken);
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _drop();
        }
    }
}

using Aggregator.Storage;
using Aggregator.Storage.Connections;
using Aggregator.Storage.Migrations;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aggregator.Testing.Databases;

/// <summary>A fresh, uniquely named database that exists for one test (or one test class) and is dropped on dispose.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly Func<ValueTask> _drop;
    private readonly Lazy<IDbConnectionFactory> _connections;
    private int _disposed;

    internal TestDatabase(DatabaseProvider provider, string name, string connectionString, Func<ValueTask> drop)
    {
        Provider = provider;
        Name = name;
        ConnectionString = connectionString;
        _drop = drop;
        _connections = new Lazy<IDbConnectionFactory>(CreateConnectionFactory);
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

    /// <summary>
    /// One factory for the database's whole life, for helpers that read it often (polls): a factory per read would
    /// leave a pool of idle connections behind each time, until the server's client limit is reached.
    /// </summary>
    public IDbConnectionFactory Connections => _connections.Value;

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
            if (_connections is { IsValueCreated: true, Value: IAsyncDisposable connections })
            {
                await connections.DisposeAsync();
            }

            await _drop();
        }
    }
}

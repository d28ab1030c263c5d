using System.Data.Common;
using Npgsql;

namespace Aggregator.Storage.Connections;

public sealed class PostgresConnectionFactory : ResilientConnectionFactory, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresConnectionFactory(string connectionString)
        : base(DatabaseProvider.Postgres, connectionString)
    {
        _dataSource = NpgsqlDataSource.Create(WithServiceDefaults(connectionString));
    }

    /// <summary>The statements run per submission are few and repeated, so they are prepared once per connection unless the connection string says otherwise.</summary>
    public const int DefaultMaxAutoPrepare = 64;

    /// <summary>
    /// The services set no session state (no <c>SET</c>, no temporary tables, no advisory locks outside the migrator's
    /// own connection), so a connection handed back to the pool is not reset: the reset was seven statements on the
    /// next use, most of the statements a submission sent.
    /// </summary>
    public const bool DefaultNoResetOnClose = true;

    /// <summary>The connection string with <see cref="DefaultMaxAutoPrepare"/> and <see cref="DefaultNoResetOnClose"/> wherever it does not set them itself.</summary>
    public static string WithServiceDefaults(string connectionString)
    {
        // Npgsql's own builder answers ContainsKey for every keyword it knows, set or not; the plain one holds only what was written.
        var written = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!written.ContainsKey("Max Auto Prepare") && !written.ContainsKey("MaxAutoPrepare"))
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        if (!written.ContainsKey("No Reset On Close") && !written.ContainsKey("NoResetOnClose"))
            builder.NoResetOnClose = DefaultNoResetOnClose;
        return builder.ConnectionString;
    }

    protected override async Task<DbConnection> OpenOnceAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();
}

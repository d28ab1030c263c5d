using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Aggregator.Storage.Connections;

public sealed class SqliteConnectionFactory : ResilientConnectionFactory
{
    // busy_timeout lets concurrent writers queue instead of failing; synchronous=NORMAL is durable enough under WAL.
    private const string ConnectionPragmas = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL;";

    private readonly string _connectionString;

    public SqliteConnectionFactory(string connectionString)
        : base(DatabaseProvider.Sqlite, connectionString)
    {
        _connectionString = Normalise(connectionString);
    }

    public static string Normalise(string connectionString) => new SqliteConnectionStringBuilder(connectionString)
    {
        ForeignKeys = true,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    protected override async Task<DbConnection> OpenOnceAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = ConnectionPragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}

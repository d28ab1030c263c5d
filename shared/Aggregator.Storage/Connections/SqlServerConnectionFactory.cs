using System.Data.Common;
using Microsoft.Data.SqlClient;

namespace Aggregator.Storage.Connections;

public sealed class SqlServerConnectionFactory : ResilientConnectionFactory
{
    private readonly string _connectionString;

    public SqlServerConnectionFactory(string connectionString)
        : base(DatabaseProvider.SqlServer, connectionString)
    {
        _connectionString = connectionString;
    }

    protected override async Task<DbConnection> OpenOnceAsync(CancellationToken cancellationToken)
    {
        var connection = new SqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}

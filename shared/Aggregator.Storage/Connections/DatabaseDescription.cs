using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Aggregator.Storage.Connections;

/// <summary>Names a database for logs and error messages without its credentials.</summary>
public static class DatabaseDescription
{
    public static string Of(DatabaseProvider provider, string connectionString)
    {
        try
        {
            return provider switch
            {
                DatabaseProvider.Sqlite => $"sqlite database '{new SqliteConnectionStringBuilder(connectionString).DataSource}'",
                DatabaseProvider.Postgres => DescribePostgres(new NpgsqlConnectionStringBuilder(connectionString)),
                DatabaseProvider.SqlServer => DescribeSqlServer(new SqlConnectionStringBuilder(connectionString)),
                _ => provider.Name(),
            };
        }
        catch (ArgumentException)
        {
            // A malformed connection string may contain anything, so it is never echoed back.
            return $"{provider.Name()} database (malformed connection string)";
        }
    }

    private static string DescribePostgres(NpgsqlConnectionStringBuilder builder) =>
        $"postgres database '{builder.Database ?? builder.Username}' on {builder.Host}:{builder.Port}";

    private static string DescribeSqlServer(SqlConnectionStringBuilder builder) =>
        $"sqlserver database '{(string.IsNullOrEmpty(builder.InitialCatalog) ? "(default)" : builder.InitialCatalog)}' on {builder.DataSource}";
}

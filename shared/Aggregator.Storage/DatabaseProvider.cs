namespace Aggregator.Storage;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
    SqlServer,
}

public static class DatabaseProviders
{
    public static DatabaseProvider Parse(string? name) => name?.Trim().ToUpperInvariant() switch
    {
        "SQLITE" => DatabaseProvider.Sqlite,
        "POSTGRES" or "POSTGRESQL" or "NPGSQL" => DatabaseProvider.Postgres,
        "SQLSERVER" or "MSSQL" => DatabaseProvider.SqlServer,
        _ => throw new InvalidOperationException(
            $"Unknown Database:Provider '{name}': expected sqlite, postgres or sqlserver."),
    };

    public static string Name(this DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => "sqlite",
        DatabaseProvider.Postgres => "postgres",
        DatabaseProvider.SqlServer => "sqlserver",
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };
}

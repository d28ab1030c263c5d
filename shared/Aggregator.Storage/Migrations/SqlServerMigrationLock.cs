namespace Aggregator.Storage.Migrations;

/// <summary>An application lock owned by one session, so concurrent migrators on SQL Server run one after another.</summary>
internal static class SqlServerMigrationLock
{
    public const string AcquireSql = """
        DECLARE @result int;
        EXEC @result = sp_getapplock @Resource = N'aggregator.migrations', @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = 300000;
        SELECT @result;
        """;

    public const string ReleaseSql = """
        EXEC sp_releaseapplock @Resource = N'aggregator.migrations', @LockOwner = 'Session';
        """;
}

using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Aggregator.Storage;
using DotNet.Testcontainers.Configurations;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;
using Testcontainers.MsSql;
using Testcontainers.PostgreSql;

namespace Aggregator.Testing.Databases;

/// <summary>
/// Fresh databases for tests: the server named by an environment variable first (and it must work), else a
/// Testcontainers server with a pinned image, else, with neither configured nor Docker, a skip that says why.
/// </summary>
public static class TestDatabases
{
    public const string PostgresVariable = "AGGREGATOR_TEST_POSTGRES";
    public const string SqlServerVariable = "AGGREGATOR_TEST_SQLSERVER";
    public const string PostgresImage = "postgres:16.4-alpine";
    public const string SqlServerImage = "mcr.microsoft.com/mssql/server:2022-CU14-ubuntu-22.04";

    private static readonly Lazy<Task<string>> PostgresContainer = new(StartPostgresContainerAsync);
    private static readonly Lazy<Task<string>> SqlServerContainer = new(StartSqlServerContainerAsync);

    /// <summary>A temporary SQLite file, deleted on dispose; always available.</summary>
    public static Task<TestDatabase> SqliteAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "aggregator-tests");
        Directory.CreateDirectory(directory);
        var name = UniqueName();
        var path = Path.Combine(directory, name + ".db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path }.ToString();
        return Task.FromResult(new TestDatabase(DatabaseProvider.Sqlite, name, connectionString, () =>
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }

            return ValueTask.CompletedTask;
        }));
    }

    /// <summary>A fresh PostgreSQL database, or skips the calling test when none is configured and Docker is absent.</summary>
    public static async Task<TestDatabase> PostgresAsync() => (await TryPostgresAsync()).Require();

    /// <summary>A fresh SQL Server database, or skips the calling test when none is configured and Docker is absent.</summary>
    public static async Task<TestDatabase> SqlServerAsync() => (await TrySqlServerAsync()).Require();

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Postgres => await PostgresAsync(),
        DatabaseProvider.SqlServer => await SqlServerAsync(),
        _ => await SqliteAsync(),
    };

    public static async Task<TestDatabaseAvailability> TryCreateAsync(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Postgres => await TryPostgresAsync(),
        DatabaseProvider.SqlServer => await TrySqlServerAsync(),
        _ => TestDatabaseAvailability.Available(await SqliteAsync()),
    };

    /// <summary>
    /// A fresh PostgreSQL database; a skip reason only when <see cref="PostgresVariable"/> is not set and no Docker
    /// engine is available. A configured server that cannot be used throws: that is a failure, not a skip.
    /// </summary>
    public static Task<TestDatabaseAvailability> TryPostgresAsync() =>
        TryPostgresAsync(Environment.GetEnvironmentVariable(PostgresVariable));

    public static async Task<TestDatabaseAvailability> TryPostgresAsync(string? configured)
    {
        if (configured is { Length: > 0 })
        {
            try
            {
                return TestDatabaseAvailability.Available(await CreatePostgresDatabaseAsync(configured));
            }
            catch (Exception exception) when (exception is NpgsqlException or ArgumentException or InvalidOperationException)
            {
                throw new InvalidOperationException(
                    $"{PostgresVariable} is set, but PostgreSQL at {Describe(configured)} is not usable: {exception.Message}", exception);
            }
        }

        if (DockerUnavailable() is { } reason)
        {
            return TestDatabaseAvailability.Unavailable($"PostgreSQL needs {PostgresVariable} or a Docker engine: {reason}");
        }

        // Docker is here, so a container that does not start is a failure too.
        return TestDatabaseAvailability.Available(await CreatePostgresDatabaseAsync(await PostgresContainer.Value));
    }

    /// <summary>As <see cref="TryPostgresAsync()"/>, for <see cref="SqlServerVariable"/>.</summary>
    public static Task<TestDatabaseAvailability> TrySqlServerAsync() =>
        TrySqlServerAsync(Environment.GetEnvironmentVariable(SqlServerVariable));

    public static async Task<TestDatabaseAvailability> TrySqlServerAsync(string? configured)
    {
        if (configured is { Length: > 0 })
        {
            try
            {
                return TestDatabaseAvailability.Available(await CreateSqlServerDatabaseAsync(configured));
            }
            catch (Exception exception) when (exception is SqlException or ArgumentException or InvalidOperationException)
            {
                throw new InvalidOperationException(
                    $"{SqlServerVariable} is set, but SQL Server at {Describe(configured)} is not usable: {exception.Message}", exception);
            }
        }

        if (DockerUnavailable() is { } reason)
        {
            return TestDatabaseAvailability.Unavailable($"{Skips.SqlServerNeedsDocker} (or {SqlServerVariable}): {reason}");
        }

        return TestDatabaseAvailability.Available(await CreateSqlServerDatabaseAsync(await SqlServerContainer.Value));
    }

    private static string? DockerUnavailable()
    {
        try
        {
            return TestcontainersSettings.OS.DockerEndpointAuthConfig is null ? "no Docker engine was found" : null;
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException)
        {
            return exception.Message;
        }
    }

    [SuppressMessage("Security", "CA2100", Justification = "The database name is generated here, never input; DDL takes no parameters.")]
    internal static async Task<TestDatabase> CreatePostgresDatabaseAsync(string serverConnectionString)
    {
        var name = UniqueName();
        var server = new NpgsqlConnectionStringBuilder(serverConnectionString) { Timeout = 5, Pooling = false };
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        var database = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name, Timeout = 5 }.ConnectionString;
        return new TestDatabase(DatabaseProvider.Postgres, name, database, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(server.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        });
    }

    [SuppressMessage("Security", "CA2100", Justification = "The database name is generated here, never input; DDL takes no parameters.")]
    private static async Task<TestDatabase> CreateSqlServerDatabaseAsync(string serverConnectionString)
    {
        var name = UniqueName();
        // SqlClient on Linux waits the whole connect timeout on a refused port; tests should not.
        var server = new SqlConnectionStringBuilder(serverConnectionString) { ConnectTimeout = 5, Pooling = false, TrustServerCertificate = true };
        await using (var connection = new SqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new SqlCommand($"CREATE DATABASE [{name}]", connection);
            await command.ExecuteNonQueryAsync();
        }

        var database = new SqlConnectionStringBuilder(server.ConnectionString) { InitialCatalog = name, Pooling = true }.ConnectionString;
        return new TestDatabase(DatabaseProvider.SqlServer, name, database, async () =>
        {
            SqlConnection.ClearAllPools();
            await using var connection = new SqlConnection(server.ConnectionString);
            await connection.OpenAsync();
            await using var command = new SqlCommand(
                $"IF DB_ID(N'{name}') IS NOT NULL BEGIN ALTER DATABASE [{name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{name}]; END",
                connection);
            await command.ExecuteNonQueryAsync();
        });
    }

    // Started once per test process and shared; Testcontainers' reaper removes them when the process ends.
    private static async Task<string> StartPostgresContainerAsync()
    {
        var container = new PostgreSqlBuilder(PostgresImage).Build();
        await container.StartAsync();
        return container.GetConnectionString();
    }

    private static async Task<string> StartSqlServerContainerAsync()
    {
        var container = new MsSqlBuilder(SqlServerImage).Build();
        await container.StartAsync();
        return container.GetConnectionString();
    }

    private static string UniqueName() =>
        string.Create(CultureInfo.InvariantCulture, $"aggtest_{DateTime.UtcNow:yyyyMMddHHmmss}_{Guid.NewGuid():N}")[..40];

    private static string Describe(string connectionString)
    {
        try
        {
            var builder = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
            return builder.TryGetValue("Host", out var host) ? $"{host}" : builder.TryGetValue("Server", out var server) ? $"{server}" : "the configured server";
        }
        catch (ArgumentException)
        {
            return "the configured server";
        }
    }
}

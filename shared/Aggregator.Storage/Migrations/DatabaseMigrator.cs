using System.Data.Common;
using System.Reflection;
using Aggregator.Storage.Connections;
using Dapper;
using DbUp;
using DbUp.Builder;
using DbUp.Sqlite.Helpers;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Aggregator.Storage.Migrations;

/// <summary>
/// Brings the schema up to date with the embedded scripts of the configured dialect. Safe to run again and from
/// several processes at once: each provider's migrations run under a database-wide lock.
/// </summary>
public sealed class DatabaseMigrator
{
    private const string JournalTable = "schema_versions";

    // An arbitrary constant that names this application's migration lock among PostgreSQL advisory locks.
    private const long PostgresLockKey = 7_241_853_092_117;

    private const string PostgresLockSql = "SELECT pg_advisory_lock(@Key)";

    private const string PostgresUnlockSql = "SELECT pg_advisory_unlock(@Key)";

    private const string SqlitePrepareSql = "PRAGMA busy_timeout = 120000; PRAGMA journal_mode = WAL;";

    private static readonly TimeSpan LockWait = TimeSpan.FromMinutes(5);

    private readonly DatabaseOptions _options;
    private readonly ILogger<DatabaseMigrator> _logger;

    public DatabaseMigrator(DatabaseOptions options, ILogger<DatabaseMigrator> logger)
    {
        _options = options;
        _logger = logger;
        Provider = options.ParsedProvider;
        Description = DatabaseDescription.Of(Provider, options.ConnectionString);
    }

    public DatabaseMigrator(IOptions<DatabaseOptions> options, ILogger<DatabaseMigrator> logger)
        : this(options.Value, logger)
    {
    }

    public DatabaseProvider Provider { get; }

    /// <summary>The database, named without credentials.</summary>
    public string Description { get; }

    /// <exception cref="DatabaseUnavailableException">The database cannot be reached or refuses the credentials.</exception>
    public Task<MigrationResult> MigrateAsync(CancellationToken cancellationToken) => MigrateAsync(null, cancellationToken);

    /// <summary>Applies the scripts up to and including <paramref name="throughScript"/> (a file name such as
    /// <c>0002_rollup_stale.sql</c>; null for all), so that a database can be held at an earlier schema.</summary>
    /// <exception cref="DatabaseUnavailableException">The database cannot be reached or refuses the credentials.</exception>
    public async Task<MigrationResult> MigrateAsync(string? throughScript, CancellationToken cancellationToken)
    {
        await WaitUntilReachableAsync(cancellationToken);
        var applied = Provider switch
        {
            DatabaseProvider.Postgres => await MigratePostgresAsync(throughScript, cancellationToken),
            DatabaseProvider.SqlServer => await MigrateSqlServerAsync(throughScript, cancellationToken),
            _ => await MigrateSqliteAsync(throughScript, cancellationToken),
        };
        _logger.LogInformation("Database {Database} is up to date ({Applied} scripts applied)", Description, applied.Count);
        return new MigrationResult(Description, applied);
    }

    /// <summary>Opens one connection, retrying transient faults (not bad credentials) as configured.</summary>
    /// <exception cref="DatabaseUnavailableException">Still unreachable after the retries, or refused.</exception>
    public async Task WaitUntilReachableAsync(CancellationToken cancellationToken)
    {
        var pipeline = ConnectionResilience.ForStartup(_options, (exception, attempt) =>
            _logger.LogWarning("Database {Database} not reachable yet (retry {Attempt}): {Error}", Description, attempt, exception.Message));
        try
        {
            await pipeline.ExecuteAsync(
                async token =>
                {
                    await using var connection = CreateConnection();
                    await connection.OpenAsync(token);
                },
                cancellationToken);
        }
        catch (Exception exception) when (exception is DbException or IOException or TimeoutException or System.Net.Sockets.SocketException)
        {
            var message = TransientDatabaseErrors.IsAuthenticationFailure(exception)
                ? $"The {Description} refused the configured credentials: {exception.Message}"
                : $"Cannot reach the {Description}: {exception.Message}";
            throw new DatabaseUnavailableException(message, exception);
        }
    }

    private DbConnection CreateConnection() => Provider switch
    {
        DatabaseProvider.Postgres => new NpgsqlConnection(_options.ConnectionString),
        DatabaseProvider.SqlServer => new SqlConnection(_options.ConnectionString),
        _ => new SqliteConnection(SqliteConnectionFactory.Normalise(_options.ConnectionString)),
    };

    private async Task<IReadOnlyList<string>> MigratePostgresAsync(string? throughScript, CancellationToken cancellationToken)
    {
        await using var lockConnection = CreateConnection();
        await lockConnection.OpenAsync(cancellationToken);
        var key = new { Key = PostgresLockKey };
        await lockConnection.ExecuteAsync(new CommandDefinition(PostgresLockSql, key, commandTimeout: (int)LockWait.TotalSeconds, cancellationToken: cancellationToken));
        try
        {
            return Run(DeployChanges.To
                .PostgresqlDatabase(_options.ConnectionString)
                .JournalToPostgresqlTable("public", JournalTable)
                .WithTransactionPerScript(), "Postgres", throughScript);
        }
        finally
        {
            await lockConnection.ExecuteAsync(new CommandDefinition(PostgresUnlockSql, key, cancellationToken: CancellationToken.None));
        }
    }

    private async Task<IReadOnlyList<string>> MigrateSqlServerAsync(string? throughScript, CancellationToken cancellationToken)
    {
        await using var lockConnection = CreateConnection();
        await lockConnection.OpenAsync(cancellationToken);
        var granted = await lockConnection.ExecuteScalarAsync<int>(new CommandDefinition(
            SqlServerMigrationLock.AcquireSql, commandTimeout: (int)LockWait.TotalSeconds + 30, cancellationToken: cancellationToken));
        if (granted < 0)
        {
            throw new TimeoutException($"Another process kept the migration lock of the {Description} for over {LockWait.TotalMinutes} minutes.");
        }

        try
        {
            return Run(DeployChanges.To
                .SqlDatabase(_options.ConnectionString)
                .JournalToSqlTable("dbo", JournalTable)
                .WithTransactionPerScript(), "SqlServer", throughScript);
        }
        finally
        {
            await lockConnection.ExecuteAsync(new CommandDefinition(SqlServerMigrationLock.ReleaseSql, cancellationToken: CancellationToken.None));
        }
    }

    private async Task<IReadOnlyList<string>> MigrateSqliteAsync(string? throughScript, CancellationToken cancellationToken)
    {
        // One exclusive transaction around the whole run: a second migrator waits on the file lock, then finds
        // every script journaled. WAL must be switched on outside any transaction.
        await using var connection = (SqliteConnection)CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(SqlitePrepareSql, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("BEGIN EXCLUSIVE", cancellationToken: cancellationToken));
        try
        {
            var applied = Run(DeployChanges.To
                .SqliteDatabase(new SharedConnection(connection))
                .JournalToSqliteTable(JournalTable)
                .WithoutTransaction(), "Sqlite", throughScript);
            await connection.ExecuteAsync(new CommandDefinition("COMMIT", cancellationToken: CancellationToken.None));
            return applied;
        }
        catch
        {
            await connection.ExecuteAsync(new CommandDefinition("ROLLBACK", cancellationToken: CancellationToken.None));
            throw;
        }
    }

    private List<string> Run(UpgradeEngineBuilder builder, string folder, string? throughScript)
    {
        var prefix = $"{typeof(DatabaseMigrator).Namespace}.{folder}.";
        var engine = builder
            .WithScriptsEmbeddedInAssembly(
                Assembly.GetExecutingAssembly(),
                name => name.StartsWith(prefix, StringComparison.Ordinal)
                    && (throughScript is null || string.CompareOrdinal(name[prefix.Length..], throughScript) <= 0))
            .WithVariablesDisabled()
            .LogTo(_logger)
            .Build();
        var result = engine.PerformUpgrade();
        if (!result.Successful)
        {
            throw new InvalidOperationException(
                $"Migration script '{result.ErrorScript?.Name}' failed on the {Description}: {result.Error?.Message}", result.Error);
        }

        return [.. result.Scripts.Select(script => script.Name)];
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Aggregator.Storage;
using Aggregator.Storage.Connections;
using Aggregator.Storage.Dialects;
using Aggregator.Storage.Migrations;
using Aggregator.Storage.Periods;
using Aggregator.Storage.Submissions;
using Aggregator.Storage.Units;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Aggregator.Benchmarks.Storage;

/// <summary>A throw-away migrated database for one benchmark class: a SQLite temp file, or a fresh PostgreSQL database.</summary>
public sealed class StorageBenchmarkDatabase
{
    public const string PostgresVariable = "AGGREGATOR_TEST_POSTGRES";

    private readonly Func<Task> _drop;

    private StorageBenchmarkDatabase(DatabaseOptions options, Func<Task> drop)
    {
        Options = options;
        _drop = drop;
        Connections = StorageServiceCollectionExtensions.CreateConnectionFactory(options);
        Dialect = SqlDialect.For(options.ParsedProvider);
        var clock = new StorageClock(TimeProvider.System);
        Units = new UnitRepository(Connections, Dialect, clock);
        Periods = new PeriodRepository(Connections, Dialect, clock);
        Submissions = new SubmissionRepository(Connections, Dialect, clock);
        Rollups = new Aggregator.Storage.Rollups.RollupRepository(Connections, Dialect, clock);
        Validation = new Aggregator.Storage.Validation.ValidationResultRepository(Connections, Dialect, clock);
    }

    public DatabaseOptions Options { get; }

    public IDbConnectionFactory Connections { get; }

    public SqlDialect Dialect { get; }

    public UnitRepository Units { get; }

    public PeriodRepository Periods { get; }

    public SubmissionRepository Submissions { get; }

    public Aggregator.Storage.Rollups.RollupRepository Rollups { get; }

    public Aggregator.Storage.Validation.ValidationResultRepository Validation { get; }

    /// <summary>The providers this machine can benchmark; says why PostgreSQL is left out when it is.</summary>
    public static IEnumerable<string> AvailableProviders()
    {
        yield return "sqlite";
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(PostgresVariable)))
        {
            Console.WriteLine($"// Skipping PostgreSQL: {PostgresVariable} is not set.");
        }
        else
        {
            yield return "postgres";
        }
    }

    public static async Task<StorageBenchmarkDatabase> CreateAsync(string provider)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"aggbench_{Guid.NewGuid():N}");
        var database = provider == "postgres" ? await CreatePostgresAsync(name) : CreateSqlite(name);
        await new DatabaseMigrator(database.Options, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);
        return database;
    }

    /// <summary>A district with <paramref name="departments"/> departments and an open period.</summary>
    public async Task<(Period Period, string District, IReadOnlyList<string> Departments)> OpenDistrictAsync(int departments)
    {
        var district = "d-" + Guid.NewGuid().ToString("N")[..8];
        var codes = Enumerable.Range(1, departments).Select(i => $"{district}-u{i:D4}").ToList();
        var units = new List<UnitRegistration> { new(district, "区", OrgUnitKind.District, null) };
        units.AddRange(codes.Select(code => new UnitRegistration(code, "部门", OrgUnitKind.Department, district)));
        await Units.UpsertManyAsync(units, Actor.Cli, CancellationToken.None);
        var period = await Periods.CreateAsync(new NewPeriod(2024, "fmt_2021", district, new DateOnly(2025, 1, 31)), Actor.Cli, CancellationToken.None);
        return (period, district, codes);
    }

    /// <summary>A table of the given size with realistic values: counts, money with two decimals, some blanks.</summary>
    public static IReadOnlyList<CellValue> Table(int cells, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, cells).Select(i => new CellValue(
            $"s{i % 4}.r{i:D5}.c{i % 7}",
            i % 9 == 0 ? null : i % 3 == 0 ? Math.Round((decimal)random.NextDouble() * 10_000m, 2) : random.Next(0, 5_000),
            i % 5 == 0 ? "\u3000" + i.ToString(CultureInfo.InvariantCulture) : null,
            0))];
    }

    public Task DropAsync() => _drop();

    private static StorageBenchmarkDatabase CreateSqlite(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), name + ".db");
        return new StorageBenchmarkDatabase(
            new DatabaseOptions { Provider = "sqlite", ConnectionString = $"Data Source={path}" },
            () =>
            {
                SqliteConnection.ClearAllPools();
                foreach (var file in new[] { path, path + "-wal", path + "-shm" })
                {
                    File.Delete(file);
                }

                return Task.CompletedTask;
            });
    }

    [SuppressMessage("Security", "CA2100", Justification = "The database name is generated here; DDL takes no parameters.")]
    private static async Task<StorageBenchmarkDatabase> CreatePostgresAsync(string name)
    {
        var server = Environment.GetEnvironmentVariable(PostgresVariable)!;
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        var options = new DatabaseOptions
        {
            Provider = "postgres",
            ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString,
        };
        return new StorageBenchmarkDatabase(options, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(server);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        });
    }
}

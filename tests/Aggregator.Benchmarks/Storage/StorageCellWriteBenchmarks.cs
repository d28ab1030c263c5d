using Aggregator.Storage;
using Aggregator.Storage.Submissions;
using BenchmarkDotNet.Attributes;
using Dapper;

namespace Aggregator.Benchmarks.Storage;

/// <summary>
/// Storing one submission version of <see cref="Cells"/> cells: the repository's bulk path against the same
/// transaction written one INSERT round trip per cell. Cell rows per second = Cells / mean time.
/// </summary>
[MemoryDiagnoser]
public class StorageCellWriteBenchmarks
{
    private const string UpsertVersionSql = """
        INSERT INTO submission_versions (submission_id, version, status, document, received_at, submitted_by, validated_at)
        VALUES (@SubmissionId, @Version, 'received', '{}', @ReceivedAt, 'bench', NULL)
        """;

    private const string InsertCellSql = """
        INSERT INTO cell_values (submission_id, version, cell_id, value, raw_text, flags)
        VALUES (@SubmissionId, @Version, @CellId, @Value, @RawText, @Flags)
        """;

    private StorageBenchmarkDatabase _database = null!;
    private IReadOnlyList<CellValue> _cells = [];
    private Guid _periodId;
    private string _unit = "";

    [ParamsSource(nameof(Providers))]
    public string Provider { get; set; } = "sqlite";

    [Params(2_000)]
    public int Cells { get; set; }

    public static IEnumerable<string> Providers() => StorageBenchmarkDatabase.AvailableProviders();

    [GlobalSetup]
    public async Task SetUpAsync()
    {
        _database = await StorageBenchmarkDatabase.CreateAsync(Provider);
        var (period, _, units) = await _database.OpenDistrictAsync(1);
        _periodId = period.Id;
        _unit = units[0];
        _cells = StorageBenchmarkDatabase.Table(Cells, seed: 1);
    }

    [GlobalCleanup]
    public Task CleanUpAsync() => _database.DropAsync();

    [Benchmark(Baseline = true, Description = "row by row")]
    public async Task<int> RowByRow()
    {
        await using var connection = await _database.Connections.OpenAsync(CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync();
        var key = await connection.QuerySingleAsync<SubmissionKey>(new CommandDefinition(
            _database.Dialect.UpsertSubmissionSql,
            new { Id = Guid.CreateVersion7(), PeriodId = _periodId, UnitCode = _unit, CreatedAt = StorageClock.Truncate(DateTimeOffset.UtcNow) },
            transaction));
        var version = new { SubmissionId = key.Id, Version = key.LatestVersion, ReceivedAt = StorageClock.Truncate(DateTimeOffset.UtcNow) };
        await connection.ExecuteAsync(new CommandDefinition(UpsertVersionSql, version, transaction));
        foreach (var cell in _cells)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                InsertCellSql,
                new { SubmissionId = key.Id, Version = key.LatestVersion, cell.CellId, cell.Value, cell.RawText, cell.Flags },
                transaction));
        }

        await transaction.CommitAsync();
        return key.LatestVersion;
    }

    [Benchmark(Description = "bulk path")]
    public async Task<int> BulkPath()
    {
        var stored = await _database.Submissions.AddVersionAsync(_periodId, _unit, "{}", _cells, Actor.Cli, _ => [], CancellationToken.None);
        return stored.Version;
    }

    private sealed record SubmissionKey
    {
        public required Guid Id { get; init; }

        public required int LatestVersion { get; init; }
    }
}

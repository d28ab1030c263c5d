using Aggregator.Storage;
using Aggregator.Storage.Submissions;
using BenchmarkDotNet.Attributes;

namespace Aggregator.Benchmarks.Storage;

/// <summary>
/// Reading every accepted cell of a period for summation: the rollup's single query against one query per unit.
/// Rows per second = Units × CellsPerUnit / mean time.
/// </summary>
[MemoryDiagnoser]
public class StorageCellReadBenchmarks
{
    private StorageBenchmarkDatabase _database = null!;
    private Guid _periodId;
    private string _district = "";
    private List<StoredVersion> _versions = [];

    [ParamsSource(nameof(Providers))]
    public string Provider { get; set; } = "sqlite";

    [Params(100)]
    public int Units { get; set; }

    [Params(300)]
    public int CellsPerUnit { get; set; }

    public static IEnumerable<string> Providers() => StorageBenchmarkDatabase.AvailableProviders();

    [GlobalSetup]
    public async Task SetUpAsync()
    {
        _database = await StorageBenchmarkDatabase.CreateAsync(Provider);
        var (period, district, units) = await _database.OpenDistrictAsync(Units);
        _periodId = period.Id;
        _district = district;
        for (var i = 0; i < units.Count; i++)
        {
            var stored = await _database.Submissions.AddVersionAsync(
                period.Id, units[i], "{}", StorageBenchmarkDatabase.Table(CellsPerUnit, seed: i), Actor.Cli, _ => [], CancellationToken.None);
            await _database.Validation.SaveResultAsync(stored.SubmissionId, stored.Version, SubmissionStatus.Accepted, "[]", [], CancellationToken.None);
            _versions.Add(stored);
        }
    }

    [GlobalCleanup]
    public Task CleanUpAsync() => _database.DropAsync();

    [Benchmark(Baseline = true, Description = "query per unit")]
    public async Task<int> QueryPerUnit()
    {
        var rows = 0;
        foreach (var version in _versions)
        {
            rows += (await _database.Submissions.GetCellsAsync(version.SubmissionId, version.Version, CancellationToken.None)).Count;
        }

        return rows;
    }

    [Benchmark(Description = "one query per rollup")]
    public async Task<int> OneQuery()
    {
        var source = await _database.Rollups.LoadInputsAsync(_periodId, _district, CancellationToken.None);
        return source.Units.Sum(unit => unit.AcceptedCells.Count);
    }
}

using Aggregator.Storage.Rollups;
using Aggregator.Storage.Submissions;

namespace Aggregator.Storage.Tests;

/// <summary>A rollup's sums come from a stream, never from every cell in memory: they must still be exact and complete.</summary>
public abstract partial class StorageSuite
{
    private const int ManyUnits = 2_000;
    private static readonly string[] StreamedCells = ["c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7"];

    [Fact]
    public async Task Streamed_sums_of_two_thousand_units_equal_an_independent_sum_of_exactly_the_accepted_versions()
    {
        var (period, district, units) = await Store.OpenDistrictAsync(ManyUnits);
        var random = new Random(ManyUnits);
        var expected = StreamedCells.ToDictionary(cell => cell, _ => (decimal?)null, StringComparer.Ordinal);
        for (var i = 0; i < units.Count; i++)
        {
            // Unit 0 has a superseded accepted version, unit 1 a newer version still waiting: neither may count twice.
            var versions = i switch { 0 => 2, 1 => 2, _ => 1 };
            for (var version = 1; version <= versions; version++)
            {
                var cells = StreamedCells.Select(cell => new CellValue(cell, Amount(random), null)).ToList();
                var stored = await Store.Submissions.AddVersionAsync(period.Id, units[i], "{}", cells, Actor.Cli, StorageHarness.AnnounceVersion, Token);
                if (i == 1 && version == 2)
                {
                    continue;
                }

                await Store.Validation.SaveResultAsync(stored.SubmissionId, stored.Version, SubmissionStatus.Accepted, "[]", [], Token);
                if (version == (i == 1 ? 1 : versions))
                {
                    foreach (var cell in cells.Where(cell => cell.Value is not null))
                    {
                        expected[cell.CellId] = (expected[cell.CellId] ?? 0m) + cell.Value;
                    }
                }
            }
        }

        var source = await Store.Rollups.LoadUnitsAsync(period.Id, district, Token);
        var inputs = source.Units.Select(unit => new RollupInput(unit.UnitCode, unit.SubmissionId!.Value, unit.AcceptedVersion!.Value)).ToList();
        var streamed = new Dictionary<string, decimal?>(StringComparer.Ordinal);
        await foreach (var row in Store.Rollups.StreamSumsAsync(inputs, Token))
        {
            streamed[row.CellId] = row.Value is { } value ? (streamed.GetValueOrDefault(row.CellId) ?? 0m) + value : streamed.GetValueOrDefault(row.CellId);
        }

        // The computation the streamed one replaced: every accepted cell of the subtree in memory, summed.
        var loaded = (await Store.Rollups.LoadInputsAsync(period.Id, district, Token)).Units
            .SelectMany(unit => unit.AcceptedCells)
            .GroupBy(cell => cell.CellId, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Any(cell => cell.Value is not null) ? group.Sum(cell => cell.Value) : null, StringComparer.Ordinal);

        Assert.Equal(ManyUnits, inputs.Count);
        Assert.Equal(2, Assert.Single(inputs, input => input.UnitCode == units[0]).Version);
        Assert.Equal(1, Assert.Single(inputs, input => input.UnitCode == units[1]).Version);
        Assert.All(StreamedCells, cell => Assert.True(
            expected[cell] == streamed.GetValueOrDefault(cell) && expected[cell] == loaded.GetValueOrDefault(cell),
            $"{cell}: independent sum {expected[cell]}, streamed {streamed.GetValueOrDefault(cell)}, loaded {loaded.GetValueOrDefault(cell)}"));
    }

    [Fact]
    public async Task Streamed_sums_refuse_a_submission_listed_twice()
    {
        var (period, _, units) = await Store.OpenDistrictAsync(1);
        var stored = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", StorageHarness.Cells(("c0", 1m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        RollupInput[] twice = [new(units[0], stored.SubmissionId, 1), new("other", stored.SubmissionId, 1)];

        await Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            await foreach (var _ in Store.Rollups.StreamSumsAsync(twice, Token))
            {
            }
        });
    }

    [Fact]
    public async Task A_stored_rollups_unit_cells_stream_from_the_versions_it_recorded_not_from_later_ones()
    {
        var (period, district, units) = await Store.OpenDistrictAsync(2);
        var first = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", StorageHarness.Cells(("c0", 1.5m), ("c1", null)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        var other = await Store.Submissions.AddVersionAsync(period.Id, units[1], "{}", StorageHarness.Cells(("c0", -0.000001m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        var rollupId = await Store.Rollups.CreateAsync(period.Id, district, Actor.Cli, id => StorageHarness.Announce("Test.RollupRequested", id), Token);
        await Store.Rollups.StoreSumsAsync(
            rollupId,
            [new RollupValue("c0", 1.499999m)],
            [new RollupInput(units[0], first.SubmissionId, first.Version), new RollupInput(units[1], other.SubmissionId, other.Version)],
            [],
            [],
            Token);
        var second = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", StorageHarness.Cells(("c0", 1000m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        await Store.Validation.SaveResultAsync(second.SubmissionId, second.Version, SubmissionStatus.Accepted, "[]", [], Token);

        var rows = new List<UnitCellValue>();
        await foreach (var row in Store.Rollups.StreamInputCellsAsync(rollupId, Token))
        {
            rows.Add(row);
        }

        Assert.Equal(
            [new UnitCellValue(units[0], "c0", 1.5m), new UnitCellValue(units[0], "c1", null), new UnitCellValue(units[1], "c0", -0.000001m)],
            rows.OrderBy(row => row.UnitCode, StringComparer.Ordinal).ThenBy(row => row.CellId, StringComparer.Ordinal));
    }

    // Signed amounts with up to six places and fifteen integer digits' worth of sum headroom; one in eight blank.
    private static decimal? Amount(Random random) => random.Next(8) == 0
        ? null
        : decimal.Round((decimal)(random.NextDouble() - 0.3) * random.Next(1, 1_000_000_000), random.Next(0, 7));
}

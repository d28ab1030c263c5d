using Aggregator.Storage.Rollups;
using Aggregator.Storage.Submissions;

namespace Aggregator.Storage.Tests;

/// <summary>A rollup's totals split by its root's children come from the same stream as its totals, and are kept.</summary>
public abstract partial class StorageSuite
{
    [Fact]
    public async Task Grouped_sums_add_up_per_group_to_an_independent_sum_and_all_groups_to_the_total()
    {
        const int Units = 300;
        const int Groups = 7;
        var (period, district, units) = await Store.OpenDistrictAsync(Units);
        var random = new Random(Units);
        var expected = new Dictionary<(int, string), decimal>();
        for (var i = 0; i < units.Count; i++)
        {
            var cells = StreamedCells.Select(cell => new CellValue(cell, i % 11 == 0 && cell == "c3" ? null : Amount(random), null)).ToList();
            await Store.Submissions.AddVersionAsync(period.Id, units[i], "{}", cells, Actor.Cli, StorageHarness.AnnounceVersion, Token);
            foreach (var cell in cells.Where(cell => cell.Value is not null))
            {
                expected[(i % Groups, cell.CellId)] = expected.GetValueOrDefault((i % Groups, cell.CellId)) + cell.Value!.Value;
            }
        }

        var source = await Store.Rollups.LoadUnitsAsync(period.Id, district, Token);
        var index = units.Select((code, i) => (code, i)).ToDictionary(entry => entry.code, entry => entry.i, StringComparer.Ordinal);
        var inputs = source.Units.Select(unit => (new RollupInput(unit.UnitCode, unit.SubmissionId!.Value, unit.LatestVersion!.Value), index[unit.UnitCode] % Groups)).ToList();
        var streamed = new Dictionary<(int, string), decimal>();
        await foreach (var row in Store.Rollups.StreamGroupSumsAsync(inputs, Token))
        {
            if (row.Value is { } value)
            {
                streamed[(row.Group, row.CellId)] = streamed.GetValueOrDefault((row.Group, row.CellId)) + value;
            }
        }

        Assert.Equal(expected.OrderBy(e => e.Key), streamed.OrderBy(e => e.Key));
        var totals = new Dictionary<string, decimal>(StringComparer.Ordinal);
        await foreach (var row in Store.Rollups.StreamSumsAsync([.. inputs.Select(entry => entry.Item1)], Token))
        {
            totals[row.CellId] = totals.GetValueOrDefault(row.CellId) + (row.Value ?? 0m);
        }

        Assert.All(StreamedCells, cell => Assert.Equal(expected.Where(e => e.Key.Item2 == cell).Sum(e => e.Value), totals[cell]));
    }

    [Fact]
    public async Task A_rollups_child_values_are_stored_with_its_sums_and_read_back_exactly()
    {
        var (period, district, units) = await Store.OpenDistrictAsync(2);
        var first = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", StorageHarness.Cells(("c0", 1.5m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        var second = await Store.Submissions.AddVersionAsync(period.Id, units[1], "{}", StorageHarness.Cells(("c0", -0.000001m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        var rollupId = await Store.Rollups.CreateAsync(period.Id, district, Actor.Cli, id => StorageHarness.Announce("Test.RollupRequested", id), Token);
        RollupChildValue[] children = [new(units[1], "c0", -0.000001m), new(units[0], "c0", 1.5m), new(units[0], "c1", 999_999_999_999_999.999999m)];

        Assert.Empty(await Store.Rollups.GetChildValuesAsync(rollupId, Token));
        Assert.True(await Store.Rollups.StoreSumsAsync(
            rollupId,
            [new RollupValue("c0", 1.499999m)],
            [new RollupInput(units[0], first.SubmissionId, first.Version), new RollupInput(units[1], second.SubmissionId, second.Version)],
            [],
            [],
            Token,
            children));
        // A second build of the same rollup stores nothing: its split stays the first one's.
        Assert.False(await Store.Rollups.StoreSumsAsync(rollupId, [], [], [], [], Token, [new RollupChildValue(units[0], "c0", 7m)]));

        Assert.Equal(children.OrderBy(c => c.ChildCode, StringComparer.Ordinal).ThenBy(c => c.CellId, StringComparer.Ordinal), await Store.Rollups.GetChildValuesAsync(rollupId, Token));
    }
}

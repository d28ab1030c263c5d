using Aggregator.Core.Forms;
using Aggregator.Core.Summation;
using Aggregator.Storage.Periods;
using Aggregator.Storage.Rollups;

namespace Aggregator.Application.Rollups;

/// <summary>A direct child of a rollup's root that holds summed versions: a unit with its version, or a node.</summary>
/// <param name="Version">The summed version of a unit; null for a node (its values are its subtree's sums).</param>
/// <param name="Units">How many summed versions the values add up.</param>
/// <param name="Values">The non-blank cells, money in 万元.</param>
public sealed record RollupChild(string UnitCode, string UnitName, int? Version, int Units, IReadOnlyDictionary<string, decimal> Values);

/// <summary>
/// A rollup's totals split by the direct children of its root (the root's own version first when it reported itself),
/// added in the core's fixed-point arithmetic over exactly the versions the rollup recorded, as the cells stream by.
/// </summary>
public sealed class RollupChildren(RollupRepository rollups, PeriodRepository periods, FormCatalog catalog)
{
    public async Task<IReadOnlyList<RollupChild>> GetAsync(Guid rollupId, CancellationToken cancellationToken)
    {
        var rollup = await rollups.GetAsync(rollupId, cancellationToken) ?? throw new KeyNotFoundException($"Rollup '{rollupId}' does not exist.");
        var period = await periods.GetAsync(rollup.PeriodId, cancellationToken)
            ?? throw new InvalidOperationException($"Rollup {rollupId} refers to period {rollup.PeriodId}, which does not exist.");
        var form = catalog.Get(period.FormId);
        var source = await rollups.LoadUnitsAsync(rollup.PeriodId, rollup.UnitCode, cancellationToken);
        var names = source.Units.ToDictionary(unit => unit.UnitCode, unit => unit.Name, StringComparer.Ordinal);
        var tree = new RollupTree(rollup.UnitCode, source.Units.Select(unit => (unit.UnitCode, unit.ParentCode)));
        var root = rollup.UnitCode;

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var input in rollup.Inputs)
        {
            if (tree.ChildOf(root, input.UnitCode) is { } child)
            {
                counts[child] = counts.GetValueOrDefault(child) + 1;
            }
        }

        var order = (counts.ContainsKey(root) ? new[] { root } : []).Concat(tree.Children(root).Where(counts.ContainsKey)).ToList();
        var sums = order.ToDictionary(code => code, _ => new Dictionary<string, CellTotal>(StringComparer.Ordinal), StringComparer.Ordinal);
        // The split the build stored, for the children that are nodes; a unit's cells (and those of a node of a rollup
        // built before the split was stored) stream from its inputs.
        var split = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in await rollups.GetChildValuesAsync(rollupId, cancellationToken))
        {
            if (sums.TryGetValue(value.ChildCode, out var cells) && form.TryGetCell(value.CellId, out var definition) && !definition.IsHeading)
            {
                split.Add(value.ChildCode);
                (cells.TryGetValue(value.CellId, out var total) ? total : cells[value.CellId] = new CellTotal()).Add(value.Value);
            }
        }

        await foreach (var cell in order.All(split.Contains) ? AsyncEnumerable.Empty<UnitCellValue>() : rollups.StreamInputCellsAsync(rollupId, cancellationToken))
        {
            if (tree.ChildOf(root, cell.UnitCode) is { } child && !split.Contains(child) && form.TryGetCell(cell.CellId, out var definition) && !definition.IsHeading)
            {
                var cells = sums[child];
                (cells.TryGetValue(cell.CellId, out var total) ? total : cells[cell.CellId] = new CellTotal()).Add(cell.Value);
            }
        }

        var versions = rollup.Inputs.ToDictionary(input => input.UnitCode, input => input.Version, StringComparer.Ordinal);
        return [.. order.Select(code => new RollupChild(
            code,
            names.GetValueOrDefault(code, code),
            tree.IsInner(code) && code != root ? null : versions[code],
            counts[code],
            sums[code].Where(entry => entry.Value.Value is not null).ToDictionary(entry => entry.Key, entry => entry.Value.Value!.Value, StringComparer.Ordinal)))];
    }
}

using Aggregator.Application.Results;
using Aggregator.Core.Forms;
using Aggregator.Core.Summation;
using Aggregator.Storage;
using Aggregator.Storage.Periods;
using Aggregator.Storage.Rollups;
using Aggregator.Storage.Units;

namespace Aggregator.Application.Rollups;

/// <summary>One direct child of the node a drill-down looks at.</summary>
/// <param name="Status"><c>included</c> (a unit whose version was summed), <c>node</c> (units under it were summed: the value
/// is its subtree's sum), <c>rejected</c>, <c>missing</c>, <c>pending</c>, or <c>empty</c> (a node none of whose units
/// was summed).</param>
/// <param name="Value">The unit's value, or the subtree's sum; null when blank everywhere (counts as 0).</param>
/// <param name="Version">The summed version, for a unit that reported itself.</param>
/// <param name="IncludedUnits">How many summed versions the row's value adds up.</param>
public sealed record DrilldownRow(
    string UnitCode,
    string UnitName,
    string Kind,
    bool HasChildren,
    string Status,
    decimal? Value,
    int? Version,
    Guid? SubmissionId,
    int IncludedUnits);

/// <summary>One consolidated number followed one level down: the node's own share and each direct child's.</summary>
/// <param name="Path">The rollup's root first, down to <see cref="UnitCode"/>.</param>
/// <param name="Total">The node's subtree sum of the cell; at the root, the rollup's stored value.</param>
/// <param name="Own">The node's own summed version, when it reported for itself.</param>
public sealed record RollupDrilldownView(
    Guid RollupId,
    Guid PeriodId,
    string FormId,
    string RootUnitCode,
    string CellId,
    string CellLabel,
    string CellKind,
    string UnitCode,
    string UnitName,
    IReadOnlyList<UnitReference> Path,
    decimal? Total,
    decimal? StoredTotal,
    DrilldownRow? Own,
    IReadOnlyList<DrilldownRow> Children);

/// <summary>
/// Answers where one consolidated number comes from, one level of the tree at a time: the sums are taken, in the
/// core's fixed-point arithmetic, over exactly the versions the rollup recorded, grouped by the period's own tree.
/// </summary>
public sealed class RollupDrilldown(RollupRepository rollups, PeriodRepository periods, UnitRepository orgUnits, FormCatalog catalog)
{
    public async Task<Result<RollupDrilldownView>> GetAsync(Guid rollupId, string? cellId, string? unitCode, CancellationToken cancellationToken)
    {
        var rollup = await rollups.GetAsync(rollupId, cancellationToken);
        if (rollup is null)
        {
            return Problem.NotFound($"汇总 {rollupId}");
        }

        if (rollup.ComputedAt is null || rollup.Status == RollupStatus.Requested)
        {
            return Problem.Of(ProblemCodes.RollupNotComputed, "汇总尚未算出合计", $"汇总 {rollupId} 还没有算出合计数（状态 {rollup.Status}），无法查看来源。");
        }

        var period = await periods.GetAsync(rollup.PeriodId, cancellationToken)
            ?? throw new InvalidOperationException($"Rollup {rollupId} refers to period {rollup.PeriodId}, which does not exist.");
        var form = catalog.Get(period.FormId);
        if (string.IsNullOrWhiteSpace(cellId) || !form.TryGetCell(cellId, out var cell) || cell.IsHeading)
        {
            return Problem.Of(ProblemCodes.DrilldownUnknownCell, "单元格不存在", $"表式 {period.FormId} 没有可汇总的单元格“{cellId}”。");
        }

        var source = await rollups.LoadUnitsAsync(rollup.PeriodId, rollup.UnitCode, cancellationToken);
        var tree = new RollupTree(rollup.UnitCode, source.Units.Select(unit => (unit.UnitCode, unit.ParentCode)));
        var node = string.IsNullOrWhiteSpace(unitCode) ? rollup.UnitCode : unitCode.Trim();
        if (!tree.Contains(node))
        {
            return Problem.Of(ProblemCodes.UnitNotInRollup, "单位不在本次汇总范围内", $"单位 {node} 不在汇总 {rollupId}（{rollup.UnitCode}）的范围内。");
        }

        var units = source.Units.ToDictionary(unit => unit.UnitCode, StringComparer.Ordinal);
        var inputs = rollup.Inputs.ToDictionary(input => input.UnitCode, StringComparer.Ordinal);
        var exclusions = rollup.Exclusions.ToDictionary(exclusion => exclusion.UnitCode, StringComparer.Ordinal);

        // Per direct child (or the node itself): the sum of its summed units' values of the cell.
        var sums = new Dictionary<string, CellTotal>(StringComparer.Ordinal);
        CellTotal SumOf(string code) => sums.TryGetValue(code, out var sum) ? sum : sums[code] = new CellTotal();
        foreach (var input in rollup.Inputs)
        {
            if (tree.ChildOf(node, input.UnitCode) is { } child)
            {
                SumOf(child).Count();
            }
        }

        await foreach (var (code, value) in rollups.StreamInputCellAsync(rollupId, cell.Id, cancellationToken))
        {
            if (tree.ChildOf(node, code) is { } child)
            {
                SumOf(child).Add(value);
            }
        }

        var rootName = (await orgUnits.GetAsync(rollup.UnitCode, cancellationToken))?.Name ?? rollup.UnitCode;
        string NameOf(string code) => units.TryGetValue(code, out var unit) ? unit.Name : code == rollup.UnitCode ? rootName : code;
        decimal? ValueOf(string code) => sums.TryGetValue(code, out var sum) ? sum.Value : null;

        DrilldownRow RowOf(string code)
        {
            var hasChildren = tree.IsInner(code);
            var count = sums.TryGetValue(code, out var sum) ? sum.Units : 0;
            var kind = units.TryGetValue(code, out var unit) ? unit.Kind : OrgUnitKind.Other;
            if (hasChildren)
            {
                return new DrilldownRow(code, NameOf(code), kind, true, count > 0 ? "node" : "empty", ValueOf(code), null, null, count);
            }

            if (inputs.TryGetValue(code, out var input))
            {
                return new DrilldownRow(code, NameOf(code), kind, false, "included", ValueOf(code), input.Version, input.SubmissionId, count);
            }

            var status = exclusions.TryGetValue(code, out var exclusion) ? exclusion.Reason : ExclusionReason.Missing;
            return new DrilldownRow(code, NameOf(code), kind, false, status, null, null, null, 0);
        }

        // The node's own version (a unit, or a district that reports for itself) is kept apart from its children's.
        DrilldownRow? own = null;
        if (inputs.TryGetValue(node, out var ownInput))
        {
            own = new DrilldownRow(node, NameOf(node), units.TryGetValue(node, out var self) ? self.Kind : OrgUnitKind.Other,
                false, "included", ValueOf(node), ownInput.Version, ownInput.SubmissionId, 1);
        }

        var children = tree.Children(node).Select(RowOf).ToList();
        var total = new CellTotal();
        foreach (var part in sums.Values)
        {
            total.Add(part);
        }

        var stored = rollup.Values.FirstOrDefault(value => value.CellId == cell.Id)?.Value;
        return new RollupDrilldownView(
            rollup.Id,
            rollup.PeriodId,
            period.FormId,
            rollup.UnitCode,
            cell.Id,
            cell.Label,
            cell.Type switch { CellType.Decimal => "money", CellType.SignedInteger => "signed", _ => "count" },
            node,
            NameOf(node),
            [.. tree.PathTo(node).Select(code => new UnitReference(code, NameOf(code)))],
            total.Value,
            stored,
            own,
            children);
    }

}

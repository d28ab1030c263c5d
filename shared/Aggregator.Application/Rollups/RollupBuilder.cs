using Aggregator.Application.Telemetry;
using Aggregator.Application.Validation;
using Aggregator.Contracts;
using Aggregator.Core.Forms;
using Aggregator.Core.Summation;
using Aggregator.Core.Values;
using Aggregator.Storage;
using Aggregator.Storage.Outbox;
using Aggregator.Storage.Periods;
using Aggregator.Storage.Rollups;
using Aggregator.Storage.Submissions;
using StoredRollupInput = Aggregator.Storage.Rollups.RollupInput;

namespace Aggregator.Application.Rollups;

public enum RollupBuildStatus
{
    /// <summary>Computed and stored now; the report is rendered next.</summary>
    Computed,

    /// <summary>Computed (or failed) before; nothing changed.</summary>
    AlreadyDone,

    /// <summary>The inputs cannot be summed (e.g. a sum overflows); the rollup is marked failed with the reason.</summary>
    Failed,

    NotFound,
}

public sealed record RollupBuild(RollupBuildStatus Status, int Included, int Rejected, int Missing, int Pending);

/// <summary>
/// Computes a requested rollup: reads every expected unit of the subtree with its latest accepted version, sums
/// exactly those versions' cells as they stream from the database, sorts the others into missing, rejected and
/// pending, and stores the result with
/// its <c>RollupCompleted</c> message (the rollup is then rendering). Idempotent on the rollup id.
/// </summary>
public sealed class RollupBuilder(
    RollupRepository rollups,
    PeriodRepository periods,
    SubmissionRepository submissions,
    FormCatalog catalog,
    IOutboxSignal outboxSignal,
    AggregatorMetrics metrics,
    TimeProvider time)
{
    /// <summary>Listed among a rejected unit's rules when the office returned its version for correction.</summary>
    public const string ReturnedRule = "OFFICE-RETURNED";

    public async Task<RollupBuild> BuildAsync(Guid rollupId, CancellationToken cancellationToken)
    {
        var header = await rollups.GetAsync(rollupId, cancellationToken);
        if (header is null)
        {
            return new RollupBuild(RollupBuildStatus.NotFound, 0, 0, 0, 0);
        }

        if (header.Status != RollupStatus.Requested)
        {
            return new RollupBuild(RollupBuildStatus.AlreadyDone, header.Inputs.Count, 0, 0, 0);
        }

        var period = await periods.GetAsync(header.PeriodId, cancellationToken)
            ?? throw new InvalidOperationException($"Rollup {rollupId} refers to period {header.PeriodId}, which does not exist.");
        var form = catalog.Get(period.FormId);
        var source = await rollups.LoadUnitsAsync(period.Id, header.UnitCode, cancellationToken);

        var inputs = new List<StoredRollupInput>();
        var exclusions = new List<RollupExclusion>();
        // A node with units under it (a district in a city's rollup) is summed through them; it is missing only when
        // it reports for itself and has not.
        var innerNodes = source.Units.Select(unit => unit.ParentCode).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var unit in source.Units)
        {
            if (unit.SubmissionId is null && innerNodes.Contains(unit.UnitCode))
            {
                continue;
            }

            if (unit.AcceptedVersion is { } accepted && unit.SubmissionId is { } submissionId)
            {
                inputs.Add(new StoredRollupInput(unit.UnitCode, submissionId, accepted));
            }
            else if (unit.SubmissionId is null || unit.LatestVersion is null)
            {
                exclusions.Add(new RollupExclusion(unit.UnitCode, ExclusionReason.Missing, null));
            }
            else if (await LatestRejectionAsync(unit.SubmissionId.Value, unit.LatestVersion.Value, unit.LatestStatus, cancellationToken) is { } rejection)
            {
                exclusions.Add(new RollupExclusion(unit.UnitCode, ExclusionReason.Rejected, rejection.ToJson()));
            }
            else
            {
                exclusions.Add(new RollupExclusion(unit.UnitCode, ExclusionReason.Pending, null));
            }
        }

        // The cells are summed as they stream from the database (by the database itself where it adds decimals
        // exactly), so memory does not grow with the number of units. The same pass splits the totals by the root's
        // direct children, which the report's breakdown and a node's children are read from.
        NormalizedTable total;
        List<RollupChildValue> childValues;
        try
        {
            var tree = new RollupTree(header.UnitCode, source.Units.Select(unit => (unit.UnitCode, unit.ParentCode)));
            var groups = new List<string>();
            var groupIndexes = new Dictionary<string, int>(StringComparer.Ordinal);
            var grouped = new List<(StoredRollupInput, int)>(inputs.Count);
            foreach (var input in inputs)
            {
                var child = tree.ChildOf(header.UnitCode, input.UnitCode)
                    ?? throw new InvalidOperationException($"Unit {input.UnitCode} is not in the subtree of rollup {rollupId}.");
                if (!groupIndexes.TryGetValue(child, out var group))
                {
                    groupIndexes[child] = group = groups.Count;
                    groups.Add(child);
                }

                grouped.Add((input, group));
            }

            var running = new RollupTotal(form);
            // Only the children that are nodes are split: a child that is a unit (every child of a flat rollup, and
            // the thousands of units directly under a city beside its districts) is its own version, whose cells
            // are stored already; a copy of them would grow with the units rather than with the nodes.
            var byChild = groups.Select(child => tree.IsInner(child) && child != header.UnitCode ? new RollupTotal(form) : null).ToArray();
            await foreach (var row in rollups.StreamGroupSumsAsync(grouped, cancellationToken))
            {
                running.Add(row.CellId, row.Value);
                byChild[row.Group]?.Add(row.CellId, row.Value);
            }

            total = running.ToTable();
            childValues = [.. groups.SelectMany((child, group) => byChild[group]?.ToTable().FilledCells
                .Select(cell => new RollupChildValue(child, cell.Cell.Id, cell.Value)) ?? [])];
        }
        catch (OverflowException exception)
        {
            if (await rollups.FailAsync(rollupId, RollupFailure.SumOverflow, $"汇总数值超出可表示的范围，无法汇总：{exception.Message}", cancellationToken))
                metrics.RollupFinished(time.GetUtcNow() - header.RequestedAt, RollupFailure.SumOverflow);
            return new RollupBuild(RollupBuildStatus.Failed, inputs.Count, 0, 0, 0);
        }

        var values = total.FilledCells.Select(cell => new RollupValue(cell.Cell.Id, cell.Value)).ToList();
        var stored = await rollups.StoreSumsAsync(
            rollupId, values, inputs, exclusions, [OutboxEntry.Of(new RollupCompleted { RollupId = rollupId, PeriodId = period.Id })], cancellationToken, childValues);
        if (stored)
        {
            outboxSignal.Notify();
        }

        return new RollupBuild(
            stored ? RollupBuildStatus.Computed : RollupBuildStatus.AlreadyDone,
            inputs.Count,
            exclusions.Count(e => e.Reason == ExclusionReason.Rejected),
            exclusions.Count(e => e.Reason == ExclusionReason.Missing),
            exclusions.Count(e => e.Reason == ExclusionReason.Pending));
    }

    /// <summary>
    /// For a unit without an accepted version: its latest rejected or returned version and that version's error rules, or null
    /// when every version is still awaiting validation (the unit is pending).
    /// </summary>
    private async Task<Rejection?> LatestRejectionAsync(Guid submissionId, int latestVersion, string? latestStatus, CancellationToken cancellationToken)
    {
        var version = latestVersion;
        if (latestStatus is not (SubmissionStatus.Rejected or SubmissionStatus.Returned))
        {
            var versions = await submissions.ListVersionsAsync(submissionId, cancellationToken);
            if (versions.LastOrDefault(v => v.Status is SubmissionStatus.Rejected or SubmissionStatus.Returned) is not { } rejected)
            {
                return null;
            }

            version = rejected.Version;
        }

        var stored = await submissions.GetAsync(submissionId, version, cancellationToken);
        var rules = ViolationView.FromJson(stored?.ViolationsJson)
            .Where(violation => violation.IsError)
            .Select(violation => violation.Rule)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        // A version the office returned is excluded like a rejected one; its marker says why when no rule failed.
        if (stored?.Status == SubmissionStatus.Returned)
        {
            rules.Insert(0, ReturnedRule);
        }

        return new Rejection(version, rules);
    }
}

using Aggregator.Storage;
using Aggregator.Storage.Audit;
using Aggregator.Storage.Rollups;

namespace Aggregator.Application.Rollups;

/// <summary>
/// Keeps completed rollups honest about their age: when a unit's newer version is accepted after a rollup of its
/// subtree was computed, the rollup is marked superseded in the audit log, and the rollup view reports it stale
/// (a rollup itself is never changed: it records exactly what it summed).
/// </summary>
public sealed class RollupStaleness(RollupRepository rollups, AuditLogRepository audit)
{
    public const string SupersededAction = "rollup.superseded";

    private const string TargetType = "rollup";

    /// <summary>Marks the period's completed rollups that a newly accepted version supersedes; a repeat marks nothing.</summary>
    /// <returns>The rollups marked now.</returns>
    public async Task<IReadOnlyList<Guid>> MarkAsync(
        Guid periodId, string unitCode, Guid submissionId, int version, string outcome, CancellationToken cancellationToken)
    {
        if (!SubmissionStatus.IsAccepted(outcome))
        {
            return [];
        }

        var marked = new List<Guid>();
        foreach (var header in await rollups.ListAsync(periodId, cancellationToken))
        {
            if (header.Status != RollupStatus.Completed)
            {
                continue;
            }

            var rollup = await rollups.GetAsync(header.Id, cancellationToken);
            if (rollup is null || !IsSupersededBy(rollup, unitCode, version) || await IsStaleAsync(rollup.Id, cancellationToken))
            {
                continue;
            }

            await audit.AppendAsync(Actor.System, SupersededAction, TargetType, rollup.Id.ToString(),
                new { unitCode, submissionId, version }, cancellationToken);
            marked.Add(rollup.Id);
        }

        return marked;
    }

    public async Task<bool> IsStaleAsync(Guid rollupId, CancellationToken cancellationToken)
    {
        // A rollup gathers a handful of audit rows (requested, completed, perhaps superseded); one page holds them.
        var page = await audit.ListAsync(0, 50, TargetType, rollupId.ToString(), cancellationToken);
        return page.Items.Any(item => item.Action == SupersededAction);
    }

    private static bool IsSupersededBy(Rollup rollup, string unitCode, int version)
    {
        if (rollup.Inputs.FirstOrDefault(input => input.UnitCode == unitCode) is { } input)
        {
            return input.Version < version;
        }

        // Units of the subtree that were not summed are listed as exclusions; any other unit lies outside the subtree.
        return rollup.Exclusions.Any(exclusion => exclusion.UnitCode == unitCode);
    }
}

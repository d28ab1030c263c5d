using Aggregator.Contracts;
using Aggregator.Storage;
using Aggregator.Storage.Rollups;

namespace Aggregator.Application.Rollups;

/// <summary>
/// Keeps completed rollups honest about their age: when a unit's newer version is accepted after a rollup of its
/// subtree was computed, the rollup is marked stale (its sums are never changed: it records exactly what it summed).
/// </summary>
public sealed class RollupStaleness(RollupRepository rollups)
{
    /// <summary>Marks the period's completed rollups that a newly accepted version supersedes; a repeat marks nothing.</summary>
    /// <returns>The rollups marked now.</returns>
    public async Task<IReadOnlyList<Guid>> MarkAsync(
        Guid periodId, string unitCode, Guid submissionId, int version, string outcome, CancellationToken cancellationToken) =>
        SubmissionStatus.IsAccepted(outcome)
            ? await rollups.MarkStaleAsync(periodId, unitCode, submissionId, version, cancellationToken)
            : [];

    /// <summary>
    /// Marks what each accepted version of the list supersedes, as <see cref="MarkAsync"/> does for one; a period
    /// without a rollup to mark is read once for all its versions.
    /// </summary>
    /// <returns>The rollups marked now.</returns>
    public async Task<IReadOnlyList<Guid>> MarkManyAsync(IReadOnlyList<SubmissionValidated> versions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(versions);
        var marked = new List<Guid>();
        foreach (var period in versions.Where(v => SubmissionStatus.IsAccepted(v.Outcome)).GroupBy(v => v.PeriodId))
        {
            if (!await rollups.HasMarkableRollupsAsync(period.Key, cancellationToken))
            {
                continue;
            }

            foreach (var version in period)
            {
                marked.AddRange(await rollups.MarkStaleAsync(version.PeriodId, version.UnitCode, version.SubmissionId, version.Version, cancellationToken));
            }
        }

        return marked;
    }
}

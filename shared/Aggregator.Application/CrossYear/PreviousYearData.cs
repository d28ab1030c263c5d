using Aggregator.Core.Values;
using Aggregator.Reporting;
using Aggregator.Storage;
using Aggregator.Storage.Periods;
using Aggregator.Storage.Rollups;
using Aggregator.Storage.Submissions;

namespace Aggregator.Application.CrossYear;

/// <summary>
/// Last year's accepted data for the cross-year checks and the year-over-year annex: the period of the same root unit
/// for the year before, and in it the latest accepted version of a unit (or of every unit under a node).
/// </summary>
public sealed class PreviousYearData(PeriodRepository periods, SubmissionRepository submissions, RollupRepository rollups)
{
    private static readonly IReadOnlyDictionary<(Guid SubmissionId, int Version), string> NoOutcomes =
        System.Collections.Frozen.FrozenDictionary<(Guid SubmissionId, int Version), string>.Empty;

    /// <summary>The period of the same root unit for the year before <paramref name="periodId"/>'s, when there is one.</summary>
    public async Task<Period?> PreviousPeriodAsync(Guid periodId, CancellationToken cancellationToken)
    {
        var current = await periods.GetAsync(periodId, cancellationToken);
        return current is null ? null : await periods.FindAsync(current.Year - 1, current.RootUnitCode, cancellationToken);
    }

    /// <summary>The unit's latest accepted document of the year before, as it was submitted.</summary>
    public async Task<SubmissionDocument?> AcceptedDocumentAsync(Guid periodId, string unitCode, CancellationToken cancellationToken) =>
        await PreviousPeriodAsync(periodId, cancellationToken) is { } previous
            ? await AcceptedDocumentAsync(previous, unitCode, NoOutcomes, cancellationToken)
            : null;

    /// <summary>
    /// The unit's latest accepted document in <paramref name="previous"/>, where a version's status is the one in
    /// <paramref name="outcomesNotYetStored"/> when it is there: outcomes decided before, in the same batch, that
    /// one after the other would have been stored already.
    /// </summary>
    public async Task<SubmissionDocument?> AcceptedDocumentAsync(
        Period previous,
        string unitCode,
        IReadOnlyDictionary<(Guid SubmissionId, int Version), string> outcomesNotYetStored,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(outcomesNotYetStored);
        if (await submissions.FindAsync(previous.Id, unitCode, cancellationToken) is not { } submission)
        {
            return null;
        }

        var versions = await submissions.ListVersionsAsync(submission.Id, cancellationToken);
        return versions.LastOrDefault(v => SubmissionStatus.IsAccepted(outcomesNotYetStored.GetValueOrDefault((submission.Id, v.Version), v.Status))) is { } accepted
            && await submissions.GetAsync(submission.Id, accepted.Version, cancellationToken) is { } stored
            ? SubmissionDocument.Parse(stored.Document)
            : null;
    }

    /// <summary>
    /// The accepted values of the year before of every unit under <paramref name="nodeCode"/>, read in one query, for
    /// the year-over-year annex of a rollup of <paramref name="periodId"/>; null when there is no such period.
    /// </summary>
    public async Task<PreviousYearInput?> ForReportAsync(Guid periodId, string nodeCode, CancellationToken cancellationToken)
    {
        if (await PreviousPeriodAsync(periodId, cancellationToken) is not { } previous)
        {
            return null;
        }

        var source = await rollups.LoadInputsAsync(previous.Id, nodeCode, cancellationToken);
        return new PreviousYearInput(
            previous.Year,
            previous.FormId,
            [.. source.Units
                .Where(unit => unit.AcceptedVersion is not null)
                .Select(unit => new PreviousYearUnit(
                    unit.UnitCode,
                    unit.AcceptedCells.ToDictionary(cell => cell.CellId, cell => cell.Value, StringComparer.Ordinal)))]);
    }
}

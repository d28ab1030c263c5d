using Aggregator.Application.Periods;
using Aggregator.Application.Submissions;
using Aggregator.Core.Forms;
using Aggregator.Storage.Periods;
using Aggregator.Storage.Submissions;
using Aggregator.Storage.Units;

namespace Aggregator.Intake.Web;

/// <summary>What a submission page shows: the version, its history, and its tables with the failing cells marked.</summary>
public sealed record SubmissionPageView(
    SubmissionStatusView Submission, IReadOnlyList<SubmissionVersionSummary> Versions, Period Period, string UnitName, SubmissionSheet Sheet);

public sealed class SubmissionPages(
    SubmissionStatusQuery statuses, SubmissionRepository submissions, PeriodService periods, UnitRepository units, FormCatalog catalog)
{
    public async Task<SubmissionPageView?> LoadAsync(Guid submissionId, int? version, CancellationToken cancellationToken)
    {
        if (await statuses.GetAsync(submissionId, version, cancellationToken) is not { } submission
            || await periods.GetAsync(submission.PeriodId, cancellationToken) is not { } period)
        {
            return null;
        }

        var versions = await statuses.ListVersionsAsync(submissionId, cancellationToken);
        var cells = await submissions.GetCellsAsync(submissionId, submission.Version, cancellationToken);
        var unit = await units.GetAsync(submission.UnitCode, cancellationToken);
        var sheet = new SubmissionSheet(
            catalog.Get(period.FormId), cells.ToDictionary(c => c.CellId, c => c.Value, StringComparer.Ordinal), submission.Violations,
            validated: submission.ValidatedAt is not null);
        return new SubmissionPageView(submission, versions, period, unit?.Name ?? submission.UnitCode, sheet);
    }
}

using Aggregator.Application.Validation;
using Aggregator.Storage.Submissions;

namespace Aggregator.Application.Submissions;

/// <summary>A submission version with its status and, once validated, its violations.</summary>
/// <param name="Status"><c>received</c>, <c>accepted</c>, <c>accepted_with_warnings</c> or <c>rejected</c>.</param>
public sealed record SubmissionStatusView(
    Guid SubmissionId,
    Guid PeriodId,
    string UnitCode,
    int Version,
    int LatestVersion,
    string Status,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? ValidatedAt,
    string SubmittedBy,
    IReadOnlyList<ViolationView> Violations);

public sealed class SubmissionStatusQuery(SubmissionRepository submissions)
{
    /// <summary>The version asked for, or the latest one when <paramref name="version"/> is null; null when there is none.</summary>
    public async Task<SubmissionStatusView?> GetAsync(Guid submissionId, int? version, CancellationToken cancellationToken)
    {
        var stored = await submissions.GetAsync(submissionId, version, cancellationToken);
        return stored is null
            ? null
            : new SubmissionStatusView(
                stored.SubmissionId,
                stored.PeriodId,
                stored.UnitCode,
                stored.Version,
                stored.LatestVersion,
                stored.Status,
                stored.ReceivedAt,
                stored.ValidatedAt,
                stored.SubmittedBy,
                ViolationView.FromJson(stored.ViolationsJson));
    }

    /// <summary>Every version of a submission, oldest first, without documents.</summary>
    public Task<IReadOnlyList<SubmissionVersionSummary>> ListVersionsAsync(Guid submissionId, CancellationToken cancellationToken) =>
        submissions.ListVersionsAsync(submissionId, cancellationToken);
}

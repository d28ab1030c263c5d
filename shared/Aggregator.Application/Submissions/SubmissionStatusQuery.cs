using Aggregator.Application.Validation;
using Aggregator.Storage.Reviews;
using Aggregator.Storage.Submissions;

namespace Aggregator.Application.Submissions;

/// <summary>A submission version with its status and, once validated, its violations.</summary>
/// <param name="Status"><c>received</c>, <c>accepted</c>, <c>accepted_with_warnings</c>, <c>rejected</c> or <c>returned</c> (by the office).</param>
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
    IReadOnlyList<ViolationView> Violations)
{
    /// <summary>The office's return of this version for correction, with its reason; null when it was not returned.</summary>
    public SubmissionReview? Returned { get; init; }

    /// <summary>The office's acceptance of this version despite its warnings, with its justification.</summary>
    public SubmissionReview? Acceptance { get; init; }
}

public sealed class SubmissionStatusQuery(SubmissionRepository submissions, SubmissionReviewRepository reviews)
{
    /// <summary>The version asked for, or the latest one when <paramref name="version"/> is null; null when there is none.</summary>
    public async Task<SubmissionStatusView?> GetAsync(Guid submissionId, int? version, CancellationToken cancellationToken)
    {
        var stored = await submissions.GetAsync(submissionId, version, cancellationToken);
        if (stored is null)
        {
            return null;
        }

        var decisions = (await reviews.ListAsync(submissionId, cancellationToken)).Where(r => r.Version == stored.Version).ToList();
        return new SubmissionStatusView(
            stored.SubmissionId,
            stored.PeriodId,
            stored.UnitCode,
            stored.Version,
            stored.LatestVersion,
            stored.Status,
            stored.ReceivedAt,
            stored.ValidatedAt,
            stored.SubmittedBy,
            ViolationView.FromJson(stored.ViolationsJson))
        {
            Returned = decisions.LastOrDefault(r => r.Decision == ReviewDecision.Returned),
            Acceptance = decisions.LastOrDefault(r => r.Decision == ReviewDecision.Accepted),
        };
    }

    /// <summary>Every version of a submission, oldest first, without documents.</summary>
    public Task<IReadOnlyList<SubmissionVersionSummary>> ListVersionsAsync(Guid submissionId, CancellationToken cancellationToken) =>
        submissions.ListVersionsAsync(submissionId, cancellationToken);
}

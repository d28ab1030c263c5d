using Aggregator.Storage.Audit;
using Aggregator.Storage.Connections;
using Dapper;

namespace Aggregator.Storage.Reviews;

public sealed class SubmissionReviewRepository(IDbConnectionFactory connections, StorageClock clock)
{
    // Guarded on the version being the latest and validated: a resubmission or a second return racing this one
    // leaves it changing nothing.
    private const string MarkReturnedSql = """
        UPDATE submission_versions SET status = 'returned'
        WHERE submission_id = @SubmissionId AND version = @Version
          AND status IN ('accepted', 'accepted_with_warnings', 'rejected')
          AND version = (SELECT s.latest_version FROM submissions s WHERE s.id = @SubmissionId)
        """;

    private const string InsertReviewSql = """
        INSERT INTO submission_reviews (submission_id, version, decision, note, decided_at, decided_by)
        VALUES (@SubmissionId, @Version, @Decision, @Note, @DecidedAt, @DecidedBy)
        """;

    private const string InsertAcceptanceSql = """
        INSERT INTO submission_reviews (submission_id, version, decision, note, decided_at, decided_by)
        SELECT v.submission_id, v.version, 'accepted', @Note, @DecidedAt, @DecidedBy
        FROM submission_versions v
        JOIN submissions s ON s.id = v.submission_id AND s.latest_version = v.version
        WHERE v.submission_id = @SubmissionId AND v.version = @Version AND v.status = 'accepted_with_warnings'
          AND NOT EXISTS (
            SELECT 1 FROM submission_reviews r
            WHERE r.submission_id = v.submission_id AND r.version = v.version AND r.decision = 'accepted')
        """;

    private const string SelectReviewsSql = """
        SELECT submission_id, version, decision, note, decided_at, decided_by
        FROM submission_reviews
        WHERE submission_id = @SubmissionId
        ORDER BY version, decided_at
        """;

    /// <summary>
    /// Returns the latest, validated version for correction: sets its status to <c>returned</c>, stores the reason
    /// and an audit row, in one transaction.
    /// </summary>
    /// <returns>False, changing nothing, when the version is not the latest, not validated, or already returned.</returns>
    public async Task<bool> ReturnAsync(Guid submissionId, int version, string reason, Actor actor, CancellationToken cancellationToken)
    {
        var at = clock.UtcNow();
        var row = new { SubmissionId = submissionId, Version = version, Decision = ReviewDecision.Returned, Note = reason, DecidedAt = at, DecidedBy = actor.Id };
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var marked = await connection.ExecuteAsync(new CommandDefinition(MarkReturnedSql, row, transaction, cancellationToken: cancellationToken));
        if (marked == 0)
        {
            return false;
        }

        await connection.ExecuteAsync(new CommandDefinition(InsertReviewSql, row, transaction, cancellationToken: cancellationToken));
        await AuditWriter.AppendAsync(connection, transaction, actor, "submission.returned", "submission", submissionId.ToString(),
            new { version, reason }, at, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Records the office's acceptance of the latest version whose only failing rules are warnings, with the
    /// justification and an audit row, in one transaction. The status is unchanged: such a version is already counted.
    /// </summary>
    /// <returns>False, changing nothing, when the version is not the latest, not accepted with warnings, or already accepted so.</returns>
    public async Task<bool> AcceptAsync(Guid submissionId, int version, string justification, Actor actor, CancellationToken cancellationToken)
    {
        var at = clock.UtcNow();
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        int inserted;
        try
        {
            inserted = await connection.ExecuteAsync(new CommandDefinition(
                InsertAcceptanceSql,
                new { SubmissionId = submissionId, Version = version, Note = justification, DecidedAt = at, DecidedBy = actor.Id },
                transaction,
                cancellationToken: cancellationToken));
        }
        catch (Exception exception) when (UniqueKeyViolations.IsUniqueKeyViolation(exception))
        {
            return false;
        }

        if (inserted == 0)
        {
            return false;
        }

        await AuditWriter.AppendAsync(connection, transaction, actor, "submission.accepted", "submission", submissionId.ToString(),
            new { version, justification }, at, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Every decision on every version of a submission, oldest first.</summary>
    public async Task<IReadOnlyList<SubmissionReview>> ListAsync(Guid submissionId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<SubmissionReview>(new CommandDefinition(
            SelectReviewsSql, new { SubmissionId = submissionId }, cancellationToken: cancellationToken))).AsList();
    }
}

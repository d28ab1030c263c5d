using Aggregator.Storage.Audit;
using Aggregator.Storage.Connections;
using Aggregator.Storage.Outbox;
using Dapper;

namespace Aggregator.Storage.Validation;

public sealed class ValidationResultRepository(IDbConnectionFactory connections, StorageClock clock)
{
    // The guard on validated_at is what makes a redelivered message harmless: the row lock serialises racers and
    // the loser finds the version already validated.
    private const string MarkValidatedSql = """
        UPDATE submission_versions SET status = @Outcome, validated_at = @ValidatedAt
        WHERE submission_id = @SubmissionId AND version = @Version AND validated_at IS NULL
        """;

    private const string InsertResultSql = """
        INSERT INTO validation_results (submission_id, version, outcome, violations, validated_at)
        VALUES (@SubmissionId, @Version, @Outcome, @Violations, @ValidatedAt)
        """;

    /// <summary>
    /// Stores a version's validation outcome, sets the version's status and adds the outbox rows it is given
    /// (<paramref name="announcements"/>), in one transaction.
    /// </summary>
    /// <param name="outcome">One of <see cref="SubmissionStatus.Outcomes"/>.</param>
    /// <param name="violationsJson">The rule violations as JSON text, stored as given.</param>
    /// <returns>False, changing nothing, when that version already has a result or does not exist.</returns>
    public async Task<bool> SaveResultAsync(
        Guid submissionId,
        int version,
        string outcome,
        string violationsJson,
        IReadOnlyCollection<OutboxEntry> announcements,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(announcements);
        if (!SubmissionStatus.Outcomes.Contains(outcome))
        {
            throw new ArgumentException($"Unknown validation outcome '{outcome}'.", nameof(outcome));
        }

        var at = clock.UtcNow();
        var row = new { SubmissionId = submissionId, Version = version, Outcome = outcome, Violations = violationsJson, ValidatedAt = at };
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var marked = await connection.ExecuteAsync(new CommandDefinition(MarkValidatedSql, row, transaction, cancellationToken: cancellationToken));
        if (marked == 0)
        {
            return false;
        }

        await connection.ExecuteAsync(new CommandDefinition(InsertResultSql, row, transaction, cancellationToken: cancellationToken));
        await OutboxWriter.AddAsync(connection, transaction, announcements, at, cancellationToken);
        await AuditWriter.AppendAsync(connection, transaction, Actor.System, "submission.validated", "submission", submissionId.ToString(),
            new { version, outcome }, at, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}

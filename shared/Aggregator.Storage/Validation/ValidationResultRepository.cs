using System.Data.Common;
using Aggregator.Storage.Audit;
using Aggregator.Storage.Connections;
using Aggregator.Storage.Dialects;
using Aggregator.Storage.Outbox;
using Dapper;

namespace Aggregator.Storage.Validation;

/// <summary>A version's validation outcome to store, with the outbox rows that announce it.</summary>
/// <param name="Outcome">One of <see cref="SubmissionStatus.Outcomes"/>.</param>
/// <param name="ViolationsJson">The rule violations as JSON text, stored as given.</param>
public sealed record NewValidationResult(
    Guid SubmissionId, int Version, string Outcome, string ViolationsJson, IReadOnlyCollection<OutboxEntry> Announcements);

public sealed class ValidationResultRepository(IDbConnectionFactory connections, SqlDialect dialect, StorageClock clock)
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
        var saved = await SaveResultsAsync([new NewValidationResult(submissionId, version, outcome, violationsJson, announcements)], cancellationToken);
        return saved[0];
    }

    /// <summary>
    /// Stores the validation outcomes of several versions, each with its status, outbox rows and audit entry, in one
    /// transaction: one commit for all, and all or nothing when the database fails.
    /// </summary>
    /// <returns>
    /// Per result, in order, whether it was stored: false, changing nothing for it, when that version already has a
    /// result (also one stored earlier in the same list) or does not exist.
    /// </returns>
    public Task<IReadOnlyList<bool>> SaveResultsAsync(IReadOnlyList<NewValidationResult> results, CancellationToken cancellationToken) =>
        SaveResultsAsync(results, announceStored: null, cancellationToken);

    /// <summary>
    /// Stores the outcomes as the other overload does, and the outbox rows <paramref name="announceStored"/> gives for
    /// the results actually stored (in order; called only when there are some), in the same transaction: one message
    /// can announce a whole batch.
    /// </summary>
    public async Task<IReadOnlyList<bool>> SaveResultsAsync(
        IReadOnlyList<NewValidationResult> results,
        Func<IReadOnlyList<NewValidationResult>, IReadOnlyCollection<OutboxEntry>>? announceStored,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        foreach (var result in results)
        {
            ArgumentNullException.ThrowIfNull(result.Announcements, nameof(results));
            if (!SubmissionStatus.Outcomes.Contains(result.Outcome))
            {
                throw new ArgumentException($"Unknown validation outcome '{result.Outcome}'.", nameof(results));
            }
        }

        var saved = new bool[results.Count];
        if (results.Count == 0)
        {
            return saved;
        }

        var at = clock.UtcNow();
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (dialect.Provider == DatabaseProvider.Postgres)
        {
            await PostgresValidationWriter.SaveAsync(connection, transaction, results, saved, at, cancellationToken);
        }
        else
        {
            await SaveOneByOneAsync(connection, transaction, results, saved, at, cancellationToken);
        }

        if (saved.Contains(true))
        {
            if (announceStored is not null)
            {
                await OutboxWriter.AddAsync(connection, transaction, announceStored([.. results.Where((_, i) => saved[i])]), at, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return saved;
    }

    private static async Task SaveOneByOneAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<NewValidationResult> results, bool[] saved, DateTimeOffset at, CancellationToken cancellationToken)
    {
        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i];
            var row = new
            {
                result.SubmissionId, result.Version, result.Outcome, Violations = result.ViolationsJson, ValidatedAt = at,
            };
            var marked = await connection.ExecuteAsync(new CommandDefinition(MarkValidatedSql, row, transaction, cancellationToken: cancellationToken));
            if (marked == 0)
            {
                continue;
            }

            await connection.ExecuteAsync(new CommandDefinition(InsertResultSql, row, transaction, cancellationToken: cancellationToken));
            await OutboxWriter.AddAsync(connection, transaction, result.Announcements, at, cancellationToken);
            await AuditWriter.AppendAsync(connection, transaction, Actor.System, ValidatedAction, "submission", result.SubmissionId.ToString(),
                ValidatedDetails(result), at, cancellationToken);
            saved[i] = true;
        }
    }

    internal const string ValidatedAction = "submission.validated";

    internal static object ValidatedDetails(NewValidationResult result) => new { version = result.Version, outcome = result.Outcome };
}

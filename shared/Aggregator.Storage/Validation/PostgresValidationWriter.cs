using System.Data.Common;
using Aggregator.Storage.Audit;
using Dapper;

namespace Aggregator.Storage.Validation;

/// <summary>
/// A batch's outcomes in two round trips whatever its size: one update marking every version not yet validated
/// (the guard that makes a redelivery harmless), then one command of array inserts for the results, outbox and
/// audit rows of the versions it marked.
/// </summary>
internal static class PostgresValidationWriter
{
    public const string MarkValidatedSql = """
        UPDATE submission_versions AS v SET status = x.o, validated_at = @At
        FROM unnest(@SubmissionIds, @Versions, @Outcomes) AS x (s, n, o)
        WHERE v.submission_id = x.s AND v.version = x.n AND v.validated_at IS NULL
        RETURNING v.submission_id, v.version
        """;

    public const string InsertRowsSql = """
        INSERT INTO validation_results (submission_id, version, outcome, violations, validated_at)
        SELECT x.s, x.n, x.o, x.j, @At FROM unnest(@SubmissionIds, @Versions, @Outcomes, @Violations) AS x (s, n, o, j);
        INSERT INTO audit_log (occurred_at, actor, actor_role, action, target_type, target_id, details)
        SELECT @At, @Actor, NULL, @Action, 'submission', x.i, x.d FROM unnest(@Targets, @Details) WITH ORDINALITY AS x (i, d, o) ORDER BY x.o;
        """;

    public const string InsertOutboxSql = """
        INSERT INTO outbox (message_type, payload, created_at, attempts)
        SELECT x.t, x.p, @At, 0 FROM unnest(@MessageTypes, @Payloads) WITH ORDINALITY AS x (t, p, o) ORDER BY x.o;
        """;

    /// <summary>Sets <paramref name="saved"/>[i] for each result stored; a version listed twice is stored for its first listing only.</summary>
    public static async Task SaveAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<NewValidationResult> results, bool[] saved, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var first = new Dictionary<(Guid, int), int>();
        for (var i = 0; i < results.Count; i++)
        {
            first.TryAdd((results[i].SubmissionId, results[i].Version), i);
        }

        var candidates = first.Values.Order().Select(i => results[i]).ToList();
        var marked = (await connection.QueryAsync<(Guid SubmissionId, int Version)>(new CommandDefinition(
            MarkValidatedSql,
            new
            {
                At = at,
                SubmissionIds = candidates.Select(r => r.SubmissionId).ToArray(),
                Versions = candidates.Select(r => r.Version).ToArray(),
                Outcomes = candidates.Select(r => r.Outcome).ToArray(),
            },
            transaction,
            cancellationToken: cancellationToken))).ToHashSet();
        var stored = candidates.Where(r => marked.Contains((r.SubmissionId, r.Version))).ToList();
        if (stored.Count == 0)
        {
            return;
        }

        var announcements = stored.SelectMany(r => r.Announcements).ToList();
        await connection.ExecuteAsync(new CommandDefinition(
            announcements.Count > 0 ? InsertRowsSql + InsertOutboxSql : InsertRowsSql,
            new
            {
                At = at,
                SubmissionIds = stored.Select(r => r.SubmissionId).ToArray(),
                Versions = stored.Select(r => r.Version).ToArray(),
                Outcomes = stored.Select(r => r.Outcome).ToArray(),
                Violations = stored.Select(r => r.ViolationsJson).ToArray(),
                Actor = Actor.System.Id,
                Action = ValidationResultRepository.ValidatedAction,
                Targets = stored.Select(r => r.SubmissionId.ToString()).ToArray(),
                Details = stored.Select(r => AuditWriter.Details(ValidationResultRepository.ValidatedDetails(r))).ToArray(),
                MessageTypes = announcements.Select(a => a.MessageType).ToArray(),
                Payloads = announcements.Select(a => a.Payload).ToArray(),
            },
            transaction,
            cancellationToken: cancellationToken));
        foreach (var (key, index) in first)
        {
            saved[index] = marked.Contains(key);
        }
    }
}

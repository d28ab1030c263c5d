using System.Data.Common;
using Aggregator.Storage.Audit;
using Aggregator.Storage.Submissions;
using Dapper;

namespace Aggregator.Storage.Dialects;

/// <summary>
/// A batch's versions in two round trips whatever its size: one upsert for all their submissions, then one command
/// inserting every version, audit, narrative, hash and outbox row from arrays (Npgsql sends them as native arrays).
/// </summary>
public sealed class PostgresVersionWriter : IVersionWriter
{
    // A unit listed n times takes n numbers at once. The rows are upserted sorted by period and unit, so concurrent
    // batches (several API processes) lock submissions in one order and cannot deadlock.
    public const string UpsertSubmissionsSql = """
        INSERT INTO submissions (id, period_id, unit_code, latest_version, created_at)
        SELECT x.i, x.p, x.u, x.n, @CreatedAt
        FROM unnest(@Ids, @PeriodIds, @UnitCodes, @Counts) WITH ORDINALITY AS x (i, p, u, n, o)
        ORDER BY x.o
        ON CONFLICT (period_id, unit_code) DO UPDATE SET latest_version = submissions.latest_version + excluded.latest_version
        RETURNING id, period_id, unit_code, latest_version
        """;

    public const string InsertVersionsSql = """
        INSERT INTO submission_versions (submission_id, version, status, document, received_at, submitted_by, validated_at)
        SELECT x.s, x.v, @Status, x.d, @At, x.b, NULL FROM unnest(@VersionIds, @Versions, @Documents, @SubmittedBy) AS x (s, v, d, b);
        INSERT INTO audit_log (occurred_at, actor, actor_role, action, target_type, target_id, details)
        SELECT @At, x.a, x.r, @Action, 'submission', x.i, x.d FROM unnest(@Actors, @ActorRoles, @Targets, @Details) WITH ORDINALITY AS x (a, r, i, d, o) ORDER BY x.o;
        """;

    public const string InsertTextsSql = """
        INSERT INTO submission_texts (submission_id, version, narrative, sentence_count, sentence_hashes)
        SELECT x.s, x.v, x.n, x.c, x.h FROM unnest(@TextIds, @TextVersions, @Narratives, @SentenceCounts, @SentenceHashes) AS x (s, v, n, c, h);
        """;

    public const string InsertHashesSql = """
        INSERT INTO submission_text_hashes (submission_id, version, hash)
        SELECT x.s, x.v, x.h FROM unnest(@HashIds, @HashVersions, @Hashes) AS x (s, v, h);
        """;

    public const string InsertOutboxSql = """
        INSERT INTO outbox (message_type, payload, created_at, attempts)
        SELECT x.t, x.p, @At, 0 FROM unnest(@MessageTypes, @Payloads) WITH ORDINALITY AS x (t, p, o) ORDER BY x.o;
        """;

    public async Task<IReadOnlyList<(Guid SubmissionId, int Version)>> NextVersionsAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<(Guid PeriodId, string UnitCode)> units, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(units);
        var counts = units
            .GroupBy(unit => unit)
            .Select(group => (Key: group.Key, Count: group.Count()))
            .OrderBy(group => group.Key.PeriodId)
            .ThenBy(group => group.Key.UnitCode, StringComparer.Ordinal)
            .ToList();
        var rows = await connection.QueryAsync<UpsertedSubmission>(new CommandDefinition(
            UpsertSubmissionsSql,
            new
            {
                Ids = counts.Select(_ => Guid.CreateVersion7()).ToArray(),
                PeriodIds = counts.Select(c => c.Key.PeriodId).ToArray(),
                UnitCodes = counts.Select(c => c.Key.UnitCode).ToArray(),
                Counts = counts.Select(c => c.Count).ToArray(),
                CreatedAt = at,
            },
            transaction,
            cancellationToken: cancellationToken));

        // The n numbers a unit took end at its new latest version; its items get them in the order listed.
        var taken = counts.ToDictionary(c => c.Key, c => c.Count);
        var next = new Dictionary<(Guid, string), (Guid Id, int Version)>();
        foreach (var row in rows)
        {
            var key = (row.PeriodId, row.UnitCode);
            next[key] = (row.Id, row.LatestVersion - taken[key] + 1);
        }

        var keys = new List<(Guid, int)>(units.Count);
        foreach (var unit in units)
        {
            var (id, version) = next[unit];
            keys.Add((id, version));
            next[unit] = (id, version + 1);
        }

        return keys;
    }

    public async Task WriteAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<VersionRows> versions, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(versions);
        var texts = versions.Where(v => v.Text is not null).ToList();
        var hashes = texts.SelectMany(v => v.Text!.DistinctHashes().Select(hash => (v.SubmissionId, v.Version, Hash: hash))).ToList();
        var announcements = versions.SelectMany(v => v.Announcements).ToList();
        // Only the statements with rows are sent: a table a batch has nothing for is not touched.
        var sql = InsertVersionsSql
            + (texts.Count > 0 ? InsertTextsSql : string.Empty)
            + (hashes.Count > 0 ? InsertHashesSql : string.Empty)
            + (announcements.Count > 0 ? InsertOutboxSql : string.Empty);
        await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new
            {
                Status = SubmissionStatus.Received,
                At = at,
                VersionIds = versions.Select(v => v.SubmissionId).ToArray(),
                Versions = versions.Select(v => v.Version).ToArray(),
                Documents = versions.Select(v => v.Document).ToArray(),
                SubmittedBy = versions.Select(v => v.SubmittedBy.Id).ToArray(),
                TextIds = texts.Select(v => v.SubmissionId).ToArray(),
                TextVersions = texts.Select(v => v.Version).ToArray(),
                Narratives = texts.Select(v => v.Text!.Narrative).ToArray(),
                SentenceCounts = texts.Select(v => v.Text!.SentenceCount).ToArray(),
                SentenceHashes = texts.Select(v => v.Text!.SentenceHashes).ToArray(),
                HashIds = hashes.Select(h => h.SubmissionId).ToArray(),
                HashVersions = hashes.Select(h => h.Version).ToArray(),
                Hashes = hashes.Select(h => h.Hash).ToArray(),
                MessageTypes = announcements.Select(a => a.MessageType).ToArray(),
                Payloads = announcements.Select(a => a.Payload).ToArray(),
                Action = SubmissionRepository.ReceivedAction,
                Actors = versions.Select(v => v.SubmittedBy.Id).ToArray(),
                ActorRoles = versions.Select(v => v.SubmittedBy.Role).ToArray(),
                Targets = versions.Select(v => v.SubmissionId.ToString()).ToArray(),
                Details = versions.Select(v => AuditWriter.Details(SubmissionRepository.ReceivedDetails(v))).ToArray(),
            },
            transaction,
            cancellationToken: cancellationToken));
    }

    private sealed record UpsertedSubmission
    {
        public required Guid Id { get; init; }

        public required Guid PeriodId { get; init; }

        public required string UnitCode { get; init; }

        public required int LatestVersion { get; init; }
    }
}

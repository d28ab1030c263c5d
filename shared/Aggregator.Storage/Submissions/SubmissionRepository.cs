using Aggregator.Storage.Audit;
using Aggregator.Storage.Connections;
using Aggregator.Storage.Dialects;
using Aggregator.Storage.Outbox;
using Aggregator.Storage.Texts;
using Dapper;

namespace Aggregator.Storage.Submissions;

public sealed class SubmissionRepository(IDbConnectionFactory connections, SqlDialect dialect, StorageClock clock)
{
    internal const string ReceivedAction = "submission.received";

    internal const string InsertVersionSql = """
        INSERT INTO submission_versions (submission_id, version, status, document, received_at, submitted_by, validated_at)
        VALUES (@SubmissionId, @Version, @Status, @Document, @ReceivedAt, @SubmittedBy, NULL)
        """;

    private const string SelectVersionSql = """
        SELECT s.id AS submission_id, s.period_id, s.unit_code, s.latest_version,
               v.version, v.status, v.document, v.received_at, v.submitted_by, v.validated_at,
               r.outcome, r.violations AS violations_json
        FROM submissions s
        JOIN submission_versions v ON v.submission_id = s.id
        LEFT JOIN validation_results r ON r.submission_id = v.submission_id AND r.version = v.version
        WHERE s.id = @SubmissionId AND v.version = COALESCE(@Version, s.latest_version)
        """;

    // The versions of a validation batch in one query, by their keys as arrays (PostgreSQL).
    private const string PostgresSelectVersionsByKeySql = """
        SELECT s.id AS submission_id, s.period_id, s.unit_code, s.latest_version,
               v.version, v.status, v.document, v.received_at, v.submitted_by, v.validated_at,
               r.outcome, r.violations AS violations_json
        FROM unnest(@SubmissionIds, @Versions) AS k (s, n)
        JOIN submissions s ON s.id = k.s
        JOIN submission_versions v ON v.submission_id = k.s AND v.version = k.n
        LEFT JOIN validation_results r ON r.submission_id = v.submission_id AND r.version = v.version
        """;

    private const string SelectVersionsSql = """
        SELECT version, status, received_at, submitted_by, validated_at
        FROM submission_versions
        WHERE submission_id = @SubmissionId
        ORDER BY version
        """;

    private const string SelectCellsSql = """
        SELECT cell_id, value, raw_text, flags
        FROM cell_values
        WHERE submission_id = @SubmissionId AND version = @Version
        ORDER BY cell_id
        """;

    // Driven by the partial index of received versions: a poll reads only the versions still waiting, not every
    // submission of the period.
    private const string CountReceivedSql = """
        SELECT COUNT(*)
        FROM submission_versions v
        WHERE v.status = 'received'
          AND EXISTS (SELECT 1 FROM submissions s WHERE s.id = v.submission_id AND s.latest_version = v.version AND s.period_id = @PeriodId)
        """;

    private const string SelectSubmissionSql = """
        SELECT id, period_id, unit_code, latest_version, created_at
        FROM submissions
        WHERE period_id = @PeriodId AND unit_code = @UnitCode
        """;

    /// <summary>
    /// Stores a new version of a unit's submission (the whole table; earlier versions are kept) with its cells,
    /// the outbox rows <paramref name="announce"/> gives for the stored version and an audit row, in one
    /// transaction. Concurrent calls for one unit get distinct consecutive versions.
    /// </summary>
    public Task<StoredVersion> AddVersionAsync(
        Guid periodId,
        string unitCode,
        string document,
        IReadOnlyCollection<CellValue> cells,
        Actor submittedBy,
        Func<StoredVersion, IReadOnlyCollection<OutboxEntry>> announce,
        CancellationToken cancellationToken) =>
        AddVersionAsync(periodId, unitCode, document, cells, null, submittedBy, announce, cancellationToken);

    /// <summary>Stores a new version as the other overload does, with its narrative when <paramref name="text"/> is given.</summary>
    public async Task<StoredVersion> AddVersionAsync(
        Guid periodId,
        string unitCode,
        string document,
        IReadOnlyCollection<CellValue> cells,
        VersionText? text,
        Actor submittedBy,
        Func<StoredVersion, IReadOnlyCollection<OutboxEntry>> announce,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(announce);
        return (await AddVersionsAsync([new NewVersion(periodId, unitCode, document, cells, text)], submittedBy, (_, stored) => announce(stored), cancellationToken))[0];
    }

    /// <summary>
    /// Stores several new versions, each exactly as <see cref="AddVersionAsync(Guid, string, string, IReadOnlyCollection{CellValue}, VersionText?, Actor, Func{StoredVersion, IReadOnlyCollection{OutboxEntry}}, CancellationToken)"/>
    /// stores one (cells, narrative, outbox rows, audit row), in one transaction: a batch import commits once rather
    /// than once per unit. All are stored or none.
    /// </summary>
    /// <returns>The stored versions, in the order given.</returns>
    public async Task<IReadOnlyList<StoredVersion>> AddVersionsAsync(
        IReadOnlyList<NewVersion> versions,
        Actor submittedBy,
        Func<NewVersion, StoredVersion, IReadOnlyCollection<OutboxEntry>> announce,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(versions);
        ArgumentNullException.ThrowIfNull(announce);
        foreach (var version in versions)
        {
            RejectDuplicateCells(version.Cells);
        }

        var at = clock.UtcNow();
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var keys = await dialect.Versions.NextVersionsAsync(connection, transaction, [.. versions.Select(v => (v.PeriodId, v.UnitCode))], at, cancellationToken);
        var stored = keys.Select(key => new StoredVersion(key.SubmissionId, key.Version)).ToList();
        var rows = versions.Select((added, i) => new VersionRows(
            stored[i].SubmissionId, stored[i].Version, added.PeriodId, added.UnitCode, added.Document, added.Text,
            added.SubmittedBy ?? submittedBy, announce(added, stored[i]), added.Cells.Count)).ToList();

        // The version rows first: cells and sentence hashes refer to them.
        await dialect.Versions.WriteAsync(connection, transaction, rows, at, cancellationToken);
        await dialect.CellValues.WriteManyAsync(
            connection, transaction, [.. versions.Select((added, i) => (stored[i].SubmissionId, stored[i].Version, added.Cells))], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    /// <summary>A version with its status and stored violations; the latest one when <paramref name="version"/> is null.</summary>
    public async Task<SubmissionVersion?> GetAsync(Guid submissionId, int? version, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<SubmissionVersion>(new CommandDefinition(
            SelectVersionSql, new { SubmissionId = submissionId, Version = version }, cancellationToken: cancellationToken));
    }

    /// <summary>Several versions at once, as <see cref="GetAsync(Guid, int?, CancellationToken)"/> reads each: one per key, in order, null where there is none.</summary>
    public async Task<IReadOnlyList<SubmissionVersion?>> GetManyAsync(IReadOnlyList<(Guid SubmissionId, int Version)> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (dialect.Provider != DatabaseProvider.Postgres || keys.Count == 1)
        {
            var one = new List<SubmissionVersion?>(keys.Count);
            foreach (var (submissionId, version) in keys)
            {
                one.Add(await GetAsync(submissionId, version, cancellationToken));
            }

            return one;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        var found = (await connection.QueryAsync<SubmissionVersion>(new CommandDefinition(
            PostgresSelectVersionsByKeySql,
            new { SubmissionIds = keys.Select(k => k.SubmissionId).ToArray(), Versions = keys.Select(k => k.Version).ToArray() },
            cancellationToken: cancellationToken)))
            .DistinctBy(v => (v.SubmissionId, v.Version))
            .ToDictionary(v => (v.SubmissionId, v.Version));
        return [.. keys.Select(key => found.GetValueOrDefault(key))];
    }

    public Task<SubmissionVersion?> GetAsync(Guid submissionId, CancellationToken cancellationToken) =>
        GetAsync(submissionId, null, cancellationToken);

    /// <summary>How many units of the period have a latest version not validated yet: one count, not a read of the period.</summary>
    public async Task<int> CountReceivedAsync(Guid periodId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            CountReceivedSql, new { PeriodId = periodId }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<SubmissionVersionSummary>> ListVersionsAsync(Guid submissionId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<SubmissionVersionSummary>(new CommandDefinition(
            SelectVersionsSql, new { SubmissionId = submissionId }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>The cells of one version, ordered by cell id.</summary>
    public async Task<IReadOnlyList<CellValue>> GetCellsAsync(Guid submissionId, int version, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            SelectCellsSql, new { SubmissionId = submissionId, Version = version }, cancellationToken: cancellationToken));
        var cells = new List<CellValue>();
        while (await reader.ReadAsync(cancellationToken))
        {
            cells.Add(CellValueReader.Read(reader, 0));
        }

        return cells;
    }

    public async Task<Submission?> FindAsync(Guid periodId, string unitCode, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Submission>(new CommandDefinition(
            SelectSubmissionSql, new { PeriodId = periodId, UnitCode = unitCode }, cancellationToken: cancellationToken));
    }

    internal static void RejectDuplicateCells(IReadOnlyCollection<CellValue> cells)
    {
        var seen = new HashSet<string>(cells.Count, StringComparer.Ordinal);
        foreach (var cell in cells)
        {
            if (!seen.Add(cell.CellId))
            {
                throw new ArgumentException($"Cell '{cell.CellId}' appears twice in one submission.", nameof(cells));
            }
        }
    }

    /// <summary>The details of a version's <c>submission.received</c> audit row.</summary>
    internal static object ReceivedDetails(VersionRows row) =>
        new { version = row.Version, periodId = row.PeriodId, unitCode = row.UnitCode, cells = row.CellCount };
}

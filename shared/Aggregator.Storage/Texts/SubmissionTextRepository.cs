using System.Text.Json;
using Aggregator.Storage.Connections;
using Dapper;

namespace Aggregator.Storage.Texts;

/// <summary>A version's narrative as stored: the text, and its distinct sentences' hashes as the core writes them.</summary>
public sealed record VersionText(string Narrative, int SentenceCount, string SentenceHashes)
{
    /// <summary>The hashes as the index stores them: each once.</summary>
    public IEnumerable<string> DistinctHashes() =>
        SentenceHashes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal);
}

/// <summary>The latest stored narrative of one unit in a period.</summary>
public sealed record UnitText
{
    public required string UnitCode { get; init; }

    public required string UnitName { get; init; }

    public required int Version { get; init; }

    public required int SentenceCount { get; init; }

    public required string SentenceHashes { get; init; }
}

/// <summary>
/// Reads the narratives stored with submission versions (<see cref="Submissions.SubmissionRepository"/> writes them
/// in the version's transaction): the latest of each unit of a period, for the comparison of texts.
/// </summary>
public sealed class SubmissionTextRepository(IDbConnectionFactory connections)
{
    internal const string InsertSql = """
        INSERT INTO submission_texts (submission_id, version, narrative, sentence_count, sentence_hashes)
        VALUES (@SubmissionId, @Version, @Narrative, @SentenceCount, @SentenceHashes)
        """;

    internal const string InsertHashSql = """
        INSERT INTO submission_text_hashes (submission_id, version, hash)
        VALUES (@SubmissionId, @Version, @Hash)
        """;

    // Driven by the hash index from a text's own hashes: only texts sharing a sentence are touched, and only the
    // latest text of each other unit counts, with at least @MinShared hashes in common. The hashes are a stored
    // version's, or a dry run's unstored text's as one JSON array, which each database unpacks in its own way.
    private const string SharingHead = """
        SELECT s.unit_code, COALESCE(o.name, s.unit_code) AS unit_name, t.version, t.sentence_count, t.sentence_hashes
        FROM (
          SELECT h.submission_id, h.version
          FROM submission_text_hashes h
          JOIN submissions hs ON hs.id = h.submission_id
          WHERE h.hash IN (
        """;

    private const string SharingTail = """
        )
            AND hs.period_id = @PeriodId AND hs.unit_code <> @UnitCode
            AND h.version = (SELECT MAX(l.version) FROM submission_texts l WHERE l.submission_id = h.submission_id)
          GROUP BY h.submission_id, h.version
          HAVING COUNT(*) >= @MinShared
        ) c
        JOIN submissions s ON s.id = c.submission_id
        JOIN submission_texts t ON t.submission_id = c.submission_id AND t.version = c.version
        LEFT JOIN org_units o ON o.code = s.unit_code
        ORDER BY s.unit_code
        """;

    private const string SelectSharingSql =
        SharingHead + "SELECT mine.hash FROM submission_text_hashes mine WHERE mine.submission_id = @SubmissionId AND mine.version = @Version" + SharingTail;

    private const string SelectSharingHashesSqliteSql = SharingHead + "SELECT value FROM json_each(@Hashes)" + SharingTail;

    private const string SelectSharingHashesPostgresSql = SharingHead + "SELECT jsonb_array_elements_text(CAST(@Hashes AS jsonb))" + SharingTail;

    private const string SelectSharingHashesSqlServerSql = SharingHead + "SELECT value FROM OPENJSON(@Hashes)" + SharingTail;

    // A unit's latest version that has a narrative: a later version without one (a JSON resubmission of the figures
    // only) does not erase what the unit wrote.
    private const string SelectUnitLatestSql = """
        SELECT s.unit_code, COALESCE(o.name, s.unit_code) AS unit_name, t.version, t.sentence_count, t.sentence_hashes
        FROM submissions s
        JOIN submission_texts t ON t.submission_id = s.id
        LEFT JOIN org_units o ON o.code = s.unit_code
        WHERE s.period_id = @PeriodId AND s.unit_code = @UnitCode
          AND t.version = (SELECT MAX(l.version) FROM submission_texts l WHERE l.submission_id = s.id)
        """;

    /// <summary>
    /// The latest narratives of the period's other units sharing at least <paramref name="minShared"/> distinct
    /// sentence hashes with the stored text of the given version.
    /// </summary>
    public async Task<IReadOnlyList<UnitText>> ListSharingAsync(
        Guid periodId, string unitCode, Guid submissionId, int version, int minShared, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<UnitText>(new CommandDefinition(
            SelectSharingSql,
            new { PeriodId = periodId, UnitCode = unitCode, SubmissionId = submissionId, Version = version, MinShared = minShared },
            cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>
    /// As <see cref="ListSharingAsync(Guid, string, Guid, int, int, CancellationToken)"/> for a narrative that is not
    /// stored (a dry run), given its sentence hashes as the core writes them.
    /// </summary>
    public async Task<IReadOnlyList<UnitText>> ListSharingAsync(
        Guid periodId, string unitCode, IReadOnlyCollection<string> hashes, int minShared, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        var sql = connections.Provider switch
        {
            DatabaseProvider.Sqlite => SelectSharingHashesSqliteSql,
            DatabaseProvider.Postgres => SelectSharingHashesPostgresSql,
            _ => SelectSharingHashesSqlServerSql,
        };
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<UnitText>(new CommandDefinition(
            sql,
            new { PeriodId = periodId, UnitCode = unitCode, Hashes = JsonSerializer.Serialize(hashes.Distinct(StringComparer.Ordinal)), MinShared = minShared },
            cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>One unit's latest narrative in the period, or null.</summary>
    public async Task<UnitText?> FindLatestAsync(Guid periodId, string unitCode, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<UnitText>(new CommandDefinition(
            SelectUnitLatestSql, new { PeriodId = periodId, UnitCode = unitCode }, cancellationToken: cancellationToken));
    }
}

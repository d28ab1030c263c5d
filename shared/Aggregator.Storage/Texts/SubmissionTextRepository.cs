using Aggregator.Storage.Connections;
using Dapper;

namespace Aggregator.Storage.Texts;

/// <summary>A version's narrative as stored: the text, and its distinct sentences' hashes as the core writes them.</summary>
public sealed record VersionText(string Narrative, int SentenceCount, string SentenceHashes);

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

    // Each unit's latest version that has a narrative: a later version without one (a JSON resubmission of the
    // figures only) does not erase what the unit wrote.
    private const string SelectLatestSql = """
        SELECT s.unit_code, COALESCE(o.name, s.unit_code) AS unit_name, t.version, t.sentence_count, t.sentence_hashes
        FROM submissions s
        JOIN submission_texts t ON t.submission_id = s.id
        LEFT JOIN org_units o ON o.code = s.unit_code
        WHERE s.period_id = @PeriodId
          AND t.version = (SELECT MAX(l.version) FROM submission_texts l WHERE l.submission_id = s.id)
        ORDER BY s.unit_code
        """;

    /// <summary>Every unit's latest narrative in the period, by unit code.</summary>
    public async Task<IReadOnlyList<UnitText>> ListLatestAsync(Guid periodId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<UnitText>(new CommandDefinition(
            SelectLatestSql, new { PeriodId = periodId }, cancellationToken: cancellationToken))).AsList();
    }
}

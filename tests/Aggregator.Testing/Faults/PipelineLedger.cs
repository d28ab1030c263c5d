using Aggregator.Testing.Databases;
using Dapper;

namespace Aggregator.Testing.Faults;

/// <summary>What the database says of every submission version: waiting, validated, validated more than once, announced again.</summary>
public sealed record PipelineLedger
{
    private const string Sql = """
        SELECT
          (SELECT COUNT(*) FROM submission_versions) AS versions,
          (SELECT COUNT(*) FROM submission_versions WHERE status = 'received') AS waiting,
          (SELECT COUNT(*) FROM validation_results) AS results,
          (SELECT COUNT(*) FROM (SELECT submission_id, version FROM validation_results GROUP BY submission_id, version HAVING COUNT(*) > 1) twice) AS resultsrepeated,
          (SELECT COUNT(*) FROM audit_log WHERE action = 'submission.validated') AS auditedvalidations,
          (SELECT COUNT(*) FROM submission_versions WHERE announced_at IS NOT NULL) AS reannounced
        """;

    public int Versions { get; init; }

    /// <summary>Versions still <c>received</c>: no outcome yet.</summary>
    public int Waiting { get; init; }

    /// <summary>Rows in <c>validation_results</c>.</summary>
    public int Results { get; init; }

    /// <summary>Versions with more than one <c>validation_results</c> row.</summary>
    public int ResultsRepeated { get; init; }

    /// <summary><c>submission.validated</c> entries in the audit log: one per version validated.</summary>
    public int AuditedValidations { get; init; }

    public int Reannounced { get; init; }

    /// <summary>The ledger, or why it could not be read (a fault test may have stopped the database).</summary>
    public static async Task<(PipelineLedger? Ledger, string? Error)> TryReadAsync(TestDatabase database, CancellationToken cancellationToken)
    {
        try
        {
            return (await ReadAsync(database, cancellationToken), null);
        }
        catch (Exception exception) when (exception is System.Data.Common.DbException or Aggregator.Storage.Connections.DatabaseUnavailableException)
        {
            return (null, $"{exception.GetType().Name}: {exception.Message}");
        }
    }

    public static async Task<PipelineLedger> ReadAsync(TestDatabase database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var connection = await database.Connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync<PipelineLedger>(new CommandDefinition(Sql, cancellationToken: cancellationToken));
    }
}

using Aggregator.Testing.Databases;
using Dapper;

namespace Aggregator.Pipeline.Tests.Support;

/// <summary>How many rows each table of the pipeline holds, and how many outbox rows are unpublished.</summary>
public sealed record RowCounts
{
    private const string Sql = """
        SELECT
          (SELECT COUNT(*) FROM submission_versions) AS submissionversions,
          (SELECT COUNT(*) FROM cell_values) AS cellvalues,
          (SELECT COUNT(*) FROM validation_results) AS validationresults,
          (SELECT COUNT(*) FROM rollups) AS rollups,
          (SELECT COUNT(*) FROM rollup_values) AS rollupvalues,
          (SELECT COUNT(*) FROM rollup_inputs) AS rollupinputs,
          (SELECT COUNT(*) FROM rollup_exclusions) AS rollupexclusions,
          (SELECT COUNT(*) FROM reports) AS reports,
          (SELECT COUNT(*) FROM outbox) AS outbox,
          (SELECT COUNT(*) FROM outbox WHERE published_at IS NULL) AS outboxpending,
          (SELECT COUNT(*) FROM audit_log) AS auditlog
        """;

    public long SubmissionVersions { get; init; }

    public long CellValues { get; init; }

    public long ValidationResults { get; init; }

    public long Rollups { get; init; }

    public long RollupValues { get; init; }

    public long RollupInputs { get; init; }

    public long RollupExclusions { get; init; }

    public long Reports { get; init; }

    public long Outbox { get; init; }

    public long OutboxPending { get; init; }

    public long AuditLog { get; init; }

    public static async Task<RowCounts> ReadAsync(TestDatabase database, CancellationToken ct)
    {
        await using var connection = await database.Connections.OpenAsync(ct);
        return await connection.QuerySingleAsync<RowCounts>(new CommandDefinition(Sql, cancellationToken: ct));
    }
}

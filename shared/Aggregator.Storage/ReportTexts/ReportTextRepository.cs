using Aggregator.Storage.Audit;
using Aggregator.Storage.Connections;
using Dapper;

namespace Aggregator.Storage.ReportTexts;

/// <summary>A period's report text as stored: a JSON document, with who wrote it last and when.</summary>
public sealed record StoredReportText
{
    public required Guid PeriodId { get; init; }

    public required string Content { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public required string UpdatedBy { get; init; }
}

/// <summary>The district office's own text of each period's report, one document per period, every change audited.</summary>
public sealed class ReportTextRepository(IDbConnectionFactory connections, StorageClock clock)
{
    private const string SelectSql = """
        SELECT period_id, content, updated_at, updated_by FROM report_texts WHERE period_id = @PeriodId
        """;

    private const string UpdateSql = """
        UPDATE report_texts SET content = @Content, updated_at = @UpdatedAt, updated_by = @UpdatedBy WHERE period_id = @PeriodId
        """;

    private const string InsertSql = """
        INSERT INTO report_texts (period_id, content, updated_at, updated_by) VALUES (@PeriodId, @Content, @UpdatedAt, @UpdatedBy)
        """;

    private const string PeriodExistsSql = """
        SELECT COUNT(*) FROM periods WHERE id = @PeriodId
        """;

    private const string ReceivedTimesSql = """
        SELECT ri.unit_code, sv.received_at
        FROM rollup_inputs ri
        JOIN submission_versions sv ON sv.submission_id = ri.submission_id AND sv.version = ri.version
        WHERE ri.rollup_id = @RollupId
        """;

    private sealed record ReceivedTime
    {
        public required string UnitCode { get; init; }

        public required DateTimeOffset ReceivedAt { get; init; }
    }

    /// <summary>When each version a rollup summed was received, by unit code, in one query.</summary>
    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> GetReceivedTimesAsync(Guid rollupId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ReceivedTime>(new CommandDefinition(
            ReceivedTimesSql, new { RollupId = rollupId }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.UnitCode, r => r.ReceivedAt, StringComparer.Ordinal);
    }

    public async Task<StoredReportText?> GetAsync(Guid periodId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<StoredReportText>(new CommandDefinition(
            SelectSql, new { PeriodId = periodId }, cancellationToken: cancellationToken));
    }

    /// <summary>Stores the period's text, replacing what was there, and audits the change in the same transaction.</summary>
    /// <param name="summary">What the audit entry records about the new text (which parts, how long), never the text itself.</param>
    /// <returns>The stored text, or null when the period does not exist.</returns>
    public async Task<StoredReportText?> SaveAsync(Guid periodId, string content, object summary, Actor actor, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                PeriodExistsSql, new { PeriodId = periodId }, transaction, cancellationToken: cancellationToken)) == 0)
        {
            return null;
        }

        var at = clock.UtcNow();
        var row = new { PeriodId = periodId, Content = content, UpdatedAt = at, UpdatedBy = actor.Id };
        var updated = await connection.ExecuteAsync(new CommandDefinition(UpdateSql, row, transaction, cancellationToken: cancellationToken));
        if (updated == 0)
        {
            try
            {
                await connection.ExecuteAsync(new CommandDefinition(InsertSql, row, transaction, cancellationToken: cancellationToken));
            }
            catch (Exception exception) when (UniqueKeyViolations.IsUniqueKeyViolation(exception))
            {
                throw new DuplicateRecordException($"The report text of period {periodId} was written at the same time by another request.", exception);
            }
        }

        await AuditWriter.AppendAsync(connection, transaction, actor, updated == 0 ? "report_text.created" : "report_text.updated",
            "period", periodId.ToString(), summary, at, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new StoredReportText { PeriodId = periodId, Content = content, UpdatedAt = at, UpdatedBy = actor.Id };
    }
}

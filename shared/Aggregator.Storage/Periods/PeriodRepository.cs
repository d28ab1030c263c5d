using Aggregator.Storage.Audit;
using Aggregator.Storage.Connections;
using Aggregator.Storage.Dialects;
using Aggregator.Storage.Units;
using Dapper;

namespace Aggregator.Storage.Periods;

public sealed class PeriodRepository(IDbConnectionFactory connections, SqlDialect dialect, StorageClock clock)
{
    private const string UnitExistsSql = "SELECT COUNT(*) FROM org_units WHERE code = @Code";

    private const string InsertSql = """
        INSERT INTO periods (id, year, form_id, root_unit_code, due_date, status, created_at)
        VALUES (@Id, @Year, @FormId, @RootUnitCode, @DueDate, @Status, @CreatedAt)
        """;

    private const string PeriodColumns = """
        SELECT p.id, p.year, p.form_id, p.root_unit_code, p.due_date, p.status, p.created_at,
               (SELECT COUNT(*) FROM period_units pu WHERE pu.period_id = p.id) AS expected_unit_count
        FROM periods p
        """;

    private const string SelectOneSql = PeriodColumns + " WHERE p.id = @Id";

    private const string SelectByYearSql = PeriodColumns + " WHERE p.year = @Year AND p.root_unit_code = @RootUnitCode";

    private const string SelectAllSql = PeriodColumns + " ORDER BY p.year DESC, p.root_unit_code";

    private const string UpdateStatusSql = "UPDATE periods SET status = @Status WHERE id = @Id AND status <> @Status";

    private const string SelectExpectedUnitsSql = """
        SELECT u.code, u.name, u.kind, u.parent_code, u.updated_at
        FROM period_units pu
        JOIN org_units u ON u.code = pu.unit_code
        WHERE pu.period_id = @PeriodId
        ORDER BY u.code
        """;

    private const string SelectCompletenessSql = """
        SELECT u.code AS unit_code, u.name, u.kind, s.id AS submission_id, s.latest_version,
               v.status, v.received_at, r.violations AS violations_json
        FROM period_units pu
        JOIN org_units u ON u.code = pu.unit_code
        LEFT JOIN submissions s ON s.period_id = pu.period_id AND s.unit_code = pu.unit_code
        LEFT JOIN submission_versions v ON v.submission_id = s.id AND v.version = s.latest_version
        LEFT JOIN validation_results r ON r.submission_id = v.submission_id AND r.version = v.version
        WHERE pu.period_id = @PeriodId
        ORDER BY u.code
        """;

    /// <summary>
    /// Opens a period and snapshots its expected units (every descendant of the root) in one transaction.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The root unit is not registered.</exception>
    /// <exception cref="DuplicateRecordException">The root already has a period for that year.</exception>
    public async Task<Period> CreateAsync(NewPeriod period, Actor actor, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7();
        var at = clock.UtcNow();
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var rootExists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            UnitExistsSql, new { Code = period.RootUnitCode }, transaction, cancellationToken: cancellationToken));
        if (rootExists == 0)
        {
            throw new KeyNotFoundException($"Unit '{period.RootUnitCode}' is not registered.");
        }

        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                InsertSql,
                new { Id = id, period.Year, period.FormId, period.RootUnitCode, period.DueDate, Status = PeriodStatus.Open, CreatedAt = at },
                transaction,
                cancellationToken: cancellationToken));
        }
        catch (Exception exception) when (UniqueKeyViolations.IsUniqueKeyViolation(exception))
        {
            throw new DuplicateRecordException($"Unit '{period.RootUnitCode}' already has a period for {period.Year}.", exception);
        }

        var expected = await connection.ExecuteAsync(new CommandDefinition(
            dialect.InsertExpectedUnitsSql, new { PeriodId = id, period.RootUnitCode }, transaction, cancellationToken: cancellationToken));
        await AuditWriter.AppendAsync(connection, transaction, actor, "period.opened", "period", id.ToString(),
            new { period.Year, period.FormId, period.RootUnitCode, expectedUnits = expected }, at, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        return new Period
        {
            Id = id,
            Year = period.Year,
            FormId = period.FormId,
            RootUnitCode = period.RootUnitCode,
            DueDate = period.DueDate,
            Status = PeriodStatus.Open,
            CreatedAt = at,
            ExpectedUnitCount = expected,
        };
    }

    public async Task<Period?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Period>(new CommandDefinition(SelectOneSql, new { Id = id }, cancellationToken: cancellationToken));
    }

    public async Task<Period?> FindAsync(int year, string rootUnitCode, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Period>(new CommandDefinition(
            SelectByYearSql, new { Year = year, RootUnitCode = rootUnitCode }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<Period>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<Period>(new CommandDefinition(SelectAllSql, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Opens or closes a period.</summary>
    /// <returns>False when the period does not exist or already had that status.</returns>
    public async Task<bool> SetStatusAsync(Guid id, string status, Actor actor, CancellationToken cancellationToken)
    {
        if (status is not (PeriodStatus.Open or PeriodStatus.Closed))
        {
            throw new ArgumentException($"Unknown period status '{status}'.", nameof(status));
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            UpdateStatusSql, new { Id = id, Status = status }, transaction, cancellationToken: cancellationToken));
        if (changed == 0)
        {
            return false;
        }

        await AuditWriter.AppendAsync(connection, transaction, actor, status == PeriodStatus.Open ? "period.reopened" : "period.closed",
            "period", id.ToString(), null, clock.UtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The units snapshotted when the period was opened.</summary>
    public async Task<IReadOnlyList<OrgUnit>> GetExpectedUnitsAsync(Guid periodId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<OrgUnit>(new CommandDefinition(
            SelectExpectedUnitsSql, new { PeriodId = periodId }, cancellationToken: cancellationToken))).AsList();
    }

    public async Task<IReadOnlyList<UnitCompleteness>> CompletenessAsync(Guid periodId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<UnitCompleteness>(new CommandDefinition(
            SelectCompletenessSql, new { PeriodId = periodId }, cancellationToken: cancellationToken))).AsList();
    }
}

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
        SELECT p.id, p.year, p.form_id, p.root_unit_code, p.due_date, p.status, p.created_at, p.expected_unit_count
        FROM periods p
        """;

    private const string SelectOneSql = PeriodColumns + " WHERE p.id = @Id";

    private const string SelectByYearSql = PeriodColumns + " WHERE p.year = @Year AND p.root_unit_code = @RootUnitCode";

    private const string SelectAllSql = PeriodColumns + " ORDER BY p.year DESC, p.root_unit_code";

    private const string SetExpectedUnitCountSql = "UPDATE periods SET expected_unit_count = @Count WHERE id = @Id";

    private const string UpdateStatusSql = "UPDATE periods SET status = @Status WHERE id = @Id AND status <> @Status";

    private const string DeleteReopeningsSql = "DELETE FROM period_unit_reopenings WHERE period_id = @Id";

    // Only a closed period is reopened for a unit, and only for a unit it expects; a repeat inserts nothing.
    private const string InsertReopeningSql = """
        INSERT INTO period_unit_reopenings (period_id, unit_code, reopened_at, reopened_by)
        SELECT pu.period_id, pu.unit_code, @ReopenedAt, @ReopenedBy
        FROM period_units pu
        JOIN periods p ON p.id = pu.period_id
        WHERE pu.period_id = @PeriodId AND pu.unit_code = @UnitCode AND p.status = 'closed'
          AND NOT EXISTS (
            SELECT 1 FROM period_unit_reopenings ro WHERE ro.period_id = pu.period_id AND ro.unit_code = pu.unit_code)
        """;

    private const string DeleteReopeningSql = "DELETE FROM period_unit_reopenings WHERE period_id = @PeriodId AND unit_code = @UnitCode";

    private const string SelectReopeningSql = """
        SELECT period_id, unit_code, reopened_at, reopened_by
        FROM period_unit_reopenings
        WHERE period_id = @PeriodId AND unit_code = @UnitCode
        """;

    private const string SelectExpectedUnitsSql = """
        SELECT u.code, u.name, u.kind, u.parent_code, u.updated_at
        FROM period_units pu
        JOIN org_units u ON u.code = pu.unit_code
        WHERE pu.period_id = @PeriodId
        ORDER BY u.code
        """;

    private const string SelectCompletenessSql = """
        SELECT u.code AS unit_code, u.name, u.kind, pu.parent_code, s.id AS submission_id, s.latest_version,
               v.status, v.received_at, r.violations AS violations_json,
               rr.note AS return_reason, ra.note AS acceptance_note, ra.decided_at AS accepted_at, ro.reopened_at
        FROM period_units pu
        JOIN org_units u ON u.code = pu.unit_code
        LEFT JOIN submissions s ON s.period_id = pu.period_id AND s.unit_code = pu.unit_code
        LEFT JOIN submission_versions v ON v.submission_id = s.id AND v.version = s.latest_version
        LEFT JOIN validation_results r ON r.submission_id = v.submission_id AND r.version = v.version
        LEFT JOIN submission_reviews rr ON rr.submission_id = v.submission_id AND rr.version = v.version AND rr.decision = 'returned'
        LEFT JOIN submission_reviews ra ON ra.submission_id = v.submission_id AND ra.version = v.version AND ra.decision = 'accepted'
        LEFT JOIN period_unit_reopenings ro ON ro.period_id = pu.period_id AND ro.unit_code = pu.unit_code
        WHERE pu.period_id = @PeriodId
        ORDER BY u.code
        """;

    // The latest version's status of every expected unit, counted: what a client waiting for validation needs,
    // without a row per unit.
    private const string CountByStatusSql = """
        SELECT COALESCE(v.status, 'missing') AS status, CAST(COUNT(*) AS INTEGER) AS units
        FROM period_units pu
        LEFT JOIN submissions s ON s.period_id = pu.period_id AND s.unit_code = pu.unit_code
        LEFT JOIN submission_versions v ON v.submission_id = s.id AND v.version = s.latest_version
        WHERE pu.period_id = @PeriodId
        GROUP BY COALESCE(v.status, 'missing')
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
        await connection.ExecuteAsync(new CommandDefinition(
            SetExpectedUnitCountSql, new { Id = id, Count = expected }, transaction, cancellationToken: cancellationToken));
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

        // Closing the whole period also closes what was reopened for single units.
        if (status == PeriodStatus.Closed)
        {
            await connection.ExecuteAsync(new CommandDefinition(DeleteReopeningsSql, new { Id = id }, transaction, cancellationToken: cancellationToken));
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

    /// <summary>How many expected units stand at each status of their latest version (<c>missing</c> without one).</summary>
    public async Task<IReadOnlyDictionary<string, int>> CountByStatusAsync(Guid periodId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<(string Status, int Units)>(new CommandDefinition(
                CountByStatusSql, new { PeriodId = periodId }, cancellationToken: cancellationToken)))
            .ToDictionary(row => row.Status, row => row.Units, StringComparer.Ordinal);
    }

    /// <summary>Lets one expected unit of a closed period submit again, with an audit row, in one transaction.</summary>
    /// <returns>False, changing nothing, when the period is not closed, does not expect the unit, or is already reopened for it.</returns>
    public async Task<bool> ReopenForUnitAsync(Guid periodId, string unitCode, Actor actor, CancellationToken cancellationToken)
    {
        var at = clock.UtcNow();
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        int inserted;
        try
        {
            inserted = await connection.ExecuteAsync(new CommandDefinition(
                InsertReopeningSql,
                new { PeriodId = periodId, UnitCode = unitCode, ReopenedAt = at, ReopenedBy = actor.Id },
                transaction,
                cancellationToken: cancellationToken));
        }
        catch (Exception exception) when (UniqueKeyViolations.IsUniqueKeyViolation(exception))
        {
            return false;
        }

        if (inserted == 0)
        {
            return false;
        }

        await AuditWriter.AppendAsync(connection, transaction, actor, "period.unit_reopened", "period", periodId.ToString(), new { unitCode }, at, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Closes a period again for a unit it was reopened for, with an audit row.</summary>
    /// <returns>False, changing nothing, when it was not reopened for the unit.</returns>
    public async Task<bool> CloseForUnitAsync(Guid periodId, string unitCode, Actor actor, CancellationToken cancellationToken)
    {
        var at = clock.UtcNow();
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            DeleteReopeningSql, new { PeriodId = periodId, UnitCode = unitCode }, transaction, cancellationToken: cancellationToken));
        if (deleted == 0)
        {
            return false;
        }

        await AuditWriter.AppendAsync(connection, transaction, actor, "period.unit_closed", "period", periodId.ToString(), new { unitCode }, at, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The reopening of a closed period for one unit, or null when there is none.</summary>
    public async Task<UnitReopening?> GetReopeningAsync(Guid periodId, string unitCode, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<UnitReopening>(new CommandDefinition(
            SelectReopeningSql, new { PeriodId = periodId, UnitCode = unitCode }, cancellationToken: cancellationToken));
    }
}

using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Aggregator.Storage.Audit;
using Aggregator.Storage.Connections;
using Aggregator.Storage.Dialects;
using Aggregator.Storage.Outbox;
using Aggregator.Storage.Submissions;
using Dapper;

namespace Aggregator.Storage.Rollups;

public sealed class RollupRepository(IDbConnectionFactory connections, SqlDialect dialect, StorageClock clock)
{
    private const string PeriodExistsSql = "SELECT COUNT(*) FROM periods WHERE id = @PeriodId";

    private const string UnitExistsSql = "SELECT COUNT(*) FROM org_units WHERE code = @UnitCode";

    private const string InsertSql = """
        INSERT INTO rollups (id, period_id, unit_code, status, requested_at, completed_at, requested_by, error)
        VALUES (@Id, @PeriodId, @UnitCode, @Status, @RequestedAt, NULL, @RequestedBy, NULL)
        """;

    private const string SelectOneSql = """
        SELECT id, period_id, unit_code, status, requested_at, computed_at, completed_at, requested_by, error, error_code, stale_since
        FROM rollups WHERE id = @RollupId
        """;

    private const string SelectForPeriodSql = """
        SELECT id, period_id, unit_code, status, requested_at, computed_at, completed_at, requested_by, error, error_code, stale_since
        FROM rollups WHERE period_id = @PeriodId
        ORDER BY requested_at DESC
        """;

    // Each step is a state change guarded by the current state, so a repeated step finds nothing to do.
    private const string MarkRenderingSql = """
        UPDATE rollups SET status = 'rendering', computed_at = @ComputedAt, error = NULL, error_code = NULL
        WHERE id = @RollupId AND status = 'requested'
        """;

    private const string MarkCompletedSql = """
        UPDATE rollups SET status = 'completed', completed_at = @CompletedAt
        WHERE id = @RollupId AND status = 'rendering'
        """;

    // Changes nothing but takes the rollup's row lock (SQLite: the write lock) while it reads as rendering.
    private const string HoldRenderingSql = """
        UPDATE rollups SET status = status
        WHERE id = @RollupId AND status = 'rendering'
        """;

    private const string MarkFailedSql = """
        UPDATE rollups SET status = 'failed', completed_at = @CompletedAt, error = @Error, error_code = @ErrorCode
        WHERE id = @RollupId AND status IN ('requested', 'rendering')
        """;

    // A rollup that failed before its sums were stored is built again; one that failed rendering keeps its sums and
    // is rendered again. Guarded by the failed state, so of two concurrent retries only one announces anything.
    private const string RetrySql = """
        UPDATE rollups
        SET status = CASE WHEN computed_at IS NULL THEN 'requested' ELSE 'rendering' END,
            completed_at = NULL, error = NULL, error_code = NULL, announced_at = NULL
        WHERE id = @RollupId AND status = 'failed'
        """;

    private const string SelectStatusSql = "SELECT status FROM rollups WHERE id = @RollupId";

    // The subtree a rollup covered is what it recorded: every expected unit is either an input or an exclusion. An
    // input is superseded only by a higher version, so a late or repeated message about the summed version is no news.
    private const string SelectSupersededSql = """
        SELECT r.id FROM rollups r
        WHERE r.period_id = @PeriodId AND r.status IN ('rendering', 'completed') AND r.stale_since IS NULL
          AND (EXISTS (SELECT 1 FROM rollup_inputs i WHERE i.rollup_id = r.id AND i.unit_code = @UnitCode AND i.version < @Version)
            OR EXISTS (SELECT 1 FROM rollup_exclusions e WHERE e.rollup_id = r.id AND e.unit_code = @UnitCode))
        """;

    private const string CountMarkableSql = """
        SELECT COUNT(*) FROM rollups
        WHERE period_id = @PeriodId AND status IN ('rendering', 'completed') AND stale_since IS NULL
        """;

    // Guarded by the current state, so of two concurrent markings only one changes the row and writes the audit entry.
    private const string MarkStaleSql = """
        UPDATE rollups SET stale_since = @StaleSince
        WHERE id = @RollupId AND status IN ('rendering', 'completed') AND stale_since IS NULL
        """;

    private const string SelectValuesSql = """
        SELECT cell_id, value FROM rollup_values WHERE rollup_id = @RollupId ORDER BY cell_id
        """;

    private const string SelectInputsSql = """
        SELECT unit_code, submission_id, version FROM rollup_inputs WHERE rollup_id = @RollupId ORDER BY unit_code
        """;

    // Exactly the versions the rollup recorded, whatever was accepted since.
    private const string SelectInputCellsSql = """
        SELECT i.unit_code, c.cell_id, c.value
        FROM rollup_inputs i
        JOIN cell_values c ON c.submission_id = i.submission_id AND c.version = i.version
        WHERE i.rollup_id = @RollupId
        """;

    // One cell of exactly the versions the rollup summed: a drill-down adds these up per child node.
    private const string SelectInputCellSql = """
        SELECT i.unit_code, c.value
        FROM rollup_inputs i
        JOIN cell_values c ON c.submission_id = i.submission_id AND c.version = i.version
        WHERE i.rollup_id = @RollupId AND c.cell_id = @CellId
        """;

    private const string SelectChildValuesSql = """
        SELECT child_code, cell_id, value FROM rollup_child_values WHERE rollup_id = @RollupId ORDER BY child_code, cell_id
        """;

    private const string SelectExclusionsSql = """
        SELECT unit_code, reason, rules FROM rollup_exclusions WHERE rollup_id = @RollupId ORDER BY unit_code
        """;

    /// <summary>Stores a requested rollup with the outbox rows <paramref name="announce"/> gives for its id and an audit row.</summary>
    /// <exception cref="KeyNotFoundException">The period or the unit does not exist.</exception>
    public async Task<Guid> CreateAsync(
        Guid periodId, string unitCode, Actor requestedBy, Func<Guid, IReadOnlyCollection<OutboxEntry>> announce, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(announce);
        var id = Guid.CreateVersion7();
        var at = clock.UtcNow();
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var keys = new { PeriodId = periodId, UnitCode = unitCode };
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(PeriodExistsSql, keys, transaction, cancellationToken: cancellationToken)) == 0)
        {
            throw new KeyNotFoundException($"Period '{periodId}' does not exist.");
        }

        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(UnitExistsSql, keys, transaction, cancellationToken: cancellationToken)) == 0)
        {
            throw new KeyNotFoundException($"Unit '{unitCode}' is not registered.");
        }

        await connection.ExecuteAsync(new CommandDefinition(
            InsertSql,
            new { Id = id, PeriodId = periodId, UnitCode = unitCode, Status = RollupStatus.Requested, RequestedAt = at, RequestedBy = requestedBy.Id },
            transaction,
            cancellationToken: cancellationToken));
        await OutboxWriter.AddAsync(connection, transaction, announce(id), at, cancellationToken);
        await AuditWriter.AppendAsync(connection, transaction, requestedBy, "rollup.requested", "rollup", id.ToString(),
            new { periodId, unitCode }, at, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    /// <summary>The inputs of a stored rollup: see <see cref="LoadInputsAsync(Guid, string, CancellationToken)"/>.</summary>
    public async Task<RollupSource> LoadInputsAsync(Guid rollupId, CancellationToken cancellationToken)
    {
        var rollup = await GetHeaderAsync(rollupId, cancellationToken)
            ?? throw new KeyNotFoundException($"Rollup '{rollupId}' does not exist.");
        return await LoadInputsAsync(rollup.PeriodId, rollup.UnitCode, cancellationToken);
    }

    /// <summary>
    /// Every expected unit of the period inside the subtree of <paramref name="rootUnitCode"/> (the root included
    /// when it is expected itself) with its latest version's status, and all cells of each unit's latest accepted
    /// version, read in one query. Holds every cell of the subtree: a rollup streams them instead
    /// (<see cref="LoadUnitsAsync"/>, <see cref="StreamSumsAsync"/>).
    /// </summary>
    public async Task<RollupSource> LoadInputsAsync(Guid periodId, string rootUnitCode, CancellationToken cancellationToken)
    {
        var keys = new { PeriodId = periodId, RootUnitCode = rootUnitCode };
        var source = await LoadUnitsAsync(periodId, rootUnitCode, cancellationToken);
        await using var connection = await connections.OpenAsync(cancellationToken);
        var cellsByUnit = new Dictionary<string, List<CellValue>>(source.Units.Count, StringComparer.Ordinal);
        await using (var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            dialect.SelectSubtreeAcceptedCellsSql, keys, cancellationToken: cancellationToken)))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var unitCode = reader.GetString(0);
                if (!cellsByUnit.TryGetValue(unitCode, out var cells))
                {
                    cellsByUnit[unitCode] = cells = [];
                }

                cells.Add(CellValueReader.Read(reader, 1));
            }
        }

        return source with
        {
            Units = [.. source.Units.Select(unit => cellsByUnit.TryGetValue(unit.UnitCode, out var cells) ? unit with { AcceptedCells = cells } : unit)],
        };
    }

    /// <summary>
    /// Every expected unit of the period inside the subtree of <paramref name="rootUnitCode"/> (the root included
    /// when it is expected itself) with its latest version's status and its latest accepted version, without cells.
    /// </summary>
    public async Task<RollupSource> LoadUnitsAsync(Guid periodId, string rootUnitCode, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var units = (await connection.QueryAsync<UnitSource>(new CommandDefinition(
            dialect.SelectSubtreeUnitsSql, new { PeriodId = periodId, RootUnitCode = rootUnitCode }, cancellationToken: cancellationToken))).AsList();
        return new RollupSource(periodId, rootUnitCode, units);
    }

    /// <summary>
    /// The cells of exactly the versions in <paramref name="inputs"/>, streamed as (cell id, value) rows: one sum per
    /// cell where the database adds decimals exactly, one row per unit's cell where it does not. Adding up every row
    /// per cell gives the rollup's totals; nothing is held but the row being read.
    /// </summary>
    /// <exception cref="ArgumentException">Two inputs name the same submission (it would be counted twice).</exception>
    public async IAsyncEnumerable<RollupValue> StreamSumsAsync(
        IReadOnlyCollection<RollupInput> inputs, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        await foreach (var row in StreamGroupSumsAsync([.. inputs.Select(input => (input, 0))], cancellationToken))
        {
            yield return new RollupValue(row.CellId, row.Value);
        }
    }

    /// <summary>
    /// The cells of exactly the versions in <paramref name="inputs"/>, each input in the group given with it, streamed
    /// as (group, cell id, value) rows: one sum per group and cell where the database adds decimals exactly, one row
    /// per unit's cell where it does not. Adding up the rows per group and cell gives each group's totals, and all of
    /// them the rollup's, in one pass; nothing is held but the row being read.
    /// </summary>
    /// <exception cref="ArgumentException">Two inputs name the same submission (it would be counted twice).</exception>
    public async IAsyncEnumerable<GroupCellValue> StreamGroupSumsAsync(
        IReadOnlyCollection<(RollupInput Input, int Group)> inputs, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.DistinctBy(entry => entry.Input.SubmissionId).Count() != inputs.Count)
        {
            throw new ArgumentException("Two rollup inputs name the same submission.", nameof(inputs));
        }

        // The versions travel as one parameter (native arrays on PostgreSQL, JSON elsewhere), so the sums cover exactly
        // the inputs that are recorded with them, whatever is accepted while they are computed, without a parameter per
        // unit; arrays are written straight into the protocol's buffer, with no text of 10⁵ rows built first.
        object parameters = dialect.Provider == DatabaseProvider.Postgres
            ? new
            {
                InputIds = inputs.Select(entry => entry.Input.SubmissionId).ToArray(),
                InputVersions = inputs.Select(entry => entry.Input.Version).ToArray(),
                InputGroups = inputs.Select(entry => entry.Group).ToArray(),
            }
            : new { Inputs = JsonSerializer.Serialize(inputs.Select(entry => new InputKey(entry.Input.SubmissionId, entry.Input.Version, entry.Group))) };
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            dialect.SumInputCellsSql, parameters, cancellationToken: cancellationToken));
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadGroupValue(reader);
        }
    }

    /// <summary>
    /// A rollup's totals split by the direct children of its root, as its build stored them (none for a rollup built
    /// before they were stored), ordered by child and cell.
    /// </summary>
    public async Task<IReadOnlyList<RollupChildValue>> GetChildValuesAsync(Guid rollupId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            SelectChildValuesSql, new { RollupId = rollupId }, cancellationToken: cancellationToken));
        var values = new List<RollupChildValue>();
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add(ReadChildValue(reader));
        }

        return values;
    }

    /// <summary>
    /// Every cell of exactly the versions a stored rollup summed, streamed as (unit, cell, value) rows in no particular
    /// order, for the per-unit breakdown of its report.
    /// </summary>
    public async IAsyncEnumerable<UnitCellValue> StreamInputCellsAsync(Guid rollupId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            SelectInputCellsSql, new { RollupId = rollupId }, cancellationToken: cancellationToken));
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadUnitCell(reader);
        }
    }

    /// <summary>Each summed unit's value of one cell (units that left it blank give no row), streamed.</summary>
    public async IAsyncEnumerable<(string UnitCode, decimal? Value)> StreamInputCellAsync(
        Guid rollupId, string cellId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            SelectInputCellSql, new { RollupId = rollupId, CellId = cellId }, cancellationToken: cancellationToken));
        while (await reader.ReadAsync(cancellationToken))
        {
            var cell = ReadUnitValue(reader);
            yield return (cell.UnitCode, cell.Value);
        }
    }

    /// <summary>
    /// Stores the consolidated values with their inputs and exclusions, moves the rollup from requested to rendering
    /// and adds the outbox rows it is given (<paramref name="announcements"/>: the sums are complete; the report is
    /// next), in one transaction.
    /// </summary>
    /// <returns>False, changing nothing, when the rollup is no longer requested (or does not exist).</returns>
    public async Task<bool> StoreSumsAsync(
        Guid rollupId,
        IReadOnlyCollection<RollupValue> values,
        IReadOnlyCollection<RollupInput> inputs,
        IReadOnlyCollection<RollupExclusion> exclusions,
        IReadOnlyCollection<OutboxEntry> announcements,
        CancellationToken cancellationToken,
        IReadOnlyCollection<RollupChildValue>? childValues = null)
    {
        ArgumentNullException.ThrowIfNull(announcements);
        var at = clock.UtcNow();
        var key = new { RollupId = rollupId, ComputedAt = at };
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteAsync(new CommandDefinition(MarkRenderingSql, key, transaction, cancellationToken: cancellationToken)) == 0)
        {
            return false;
        }

        var valuesJson = JsonSerializer.Serialize(values.Select(value => new ValueRow(value.CellId, Text(StoredDecimal.ForStorage(value.Value, value.CellId)))));
        var childrenJson = JsonSerializer.Serialize((childValues ?? []).Select(child => new ChildRow(child.ChildCode, child.CellId, Text(StoredDecimal.ForStorage(child.Value, child.CellId)))));
        // The values and child values grow with cells and nodes; the inputs and exclusions with units, so on PostgreSQL
        // they go as native arrays rather than as JSON text of 10⁵ rows.
        object rows = dialect.Provider == DatabaseProvider.Postgres
            ? new
            {
                RollupId = rollupId,
                Values = valuesJson,
                InputUnits = inputs.Select(input => input.UnitCode).ToArray(),
                InputIds = inputs.Select(input => input.SubmissionId).ToArray(),
                InputVersions = inputs.Select(input => input.Version).ToArray(),
                ExclusionUnits = exclusions.Select(exclusion => exclusion.UnitCode).ToArray(),
                ExclusionReasons = exclusions.Select(exclusion => exclusion.Reason).ToArray(),
                ExclusionRules = exclusions.Select(exclusion => exclusion.RulesJson).ToArray(),
                Children = childrenJson,
            }
            : new
            {
                RollupId = rollupId,
                Values = valuesJson,
                Inputs = JsonSerializer.Serialize(inputs.Select(input => new InputRowJson(input.UnitCode, input.SubmissionId, input.Version))),
                Exclusions = JsonSerializer.Serialize(exclusions.Select(exclusion => new ExclusionJson(exclusion.UnitCode, exclusion.Reason, exclusion.RulesJson))),
                Children = childrenJson,
            };
        await connection.ExecuteAsync(new CommandDefinition(dialect.InsertRollupRowsSql, rows, transaction, cancellationToken: cancellationToken));

        await OutboxWriter.AddAsync(connection, transaction, announcements, at, cancellationToken);
        await AuditWriter.AppendAsync(connection, transaction, Actor.System, "rollup.computed", "rollup", rollupId.ToString(),
            new { values = values.Count, inputs = inputs.Count, exclusions = exclusions.Count }, at, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Stores one format of a rendering rollup's report ahead of the others, so that it can be read while they are
    /// rendered; the row lock taken on the rollup keeps a concurrent failure from interleaving.
    /// </summary>
    /// <returns>False, storing nothing, when the rollup is not rendering.</returns>
    public async Task<bool> StoreReportAsync(Guid rollupId, string format, string content, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteAsync(new CommandDefinition(HoldRenderingSql, new { RollupId = rollupId }, transaction, cancellationToken: cancellationToken)) == 0)
        {
            return false;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            dialect.UpsertReportSql,
            new { RollupId = rollupId, Format = format, Content = content, RenderedAt = clock.UtcNow() },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Stores the rendered report's remaining formats and marks the rendering rollup completed, in one transaction: a
    /// rollup that reads completed always has its report in every format.
    /// </summary>
    /// <param name="reports">Each format (one of <see cref="ReportFormat"/>) not stored before, with its content.</param>
    /// <returns>False, changing nothing, when the rollup is not rendering (already completed, failed, or unknown).</returns>
    public async Task<bool> CompleteWithReportsAsync(
        Guid rollupId, IReadOnlyCollection<(string Format, string Content)> reports, CancellationToken cancellationToken)
    {
        var at = clock.UtcNow();
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var key = new { RollupId = rollupId };
        if (await connection.ExecuteAsync(new CommandDefinition(
                MarkCompletedSql, new { RollupId = rollupId, CompletedAt = at }, transaction, cancellationToken: cancellationToken)) == 0)
        {
            return false;
        }

        if (reports.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                dialect.UpsertReportSql,
                reports.Select(report => new { RollupId = rollupId, report.Format, report.Content, RenderedAt = at }),
                transaction,
                cancellationToken: cancellationToken));
        }

        await AuditWriter.AppendAsync(connection, transaction, Actor.System, "rollup.completed", "rollup", rollupId.ToString(),
            new { formats = (await connection.QueryAsync<string>(new CommandDefinition(Reports.ReportRepository.SelectFormatsSql, key, transaction, cancellationToken: cancellationToken))).AsList() },
            at,
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Records why a requested or rendering rollup could not be computed or rendered.</summary>
    /// <param name="errorCode">A stable English code, e.g. <c>report_render_failed</c>.</param>
    /// <param name="error">The reason in Chinese.</param>
    /// <returns>False when the rollup is neither requested nor rendering.</returns>
    public async Task<bool> FailAsync(Guid rollupId, string errorCode, string error, CancellationToken cancellationToken)
    {
        var at = clock.UtcNow();
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteAsync(new CommandDefinition(
                MarkFailedSql, new { RollupId = rollupId, CompletedAt = at, Error = error, ErrorCode = errorCode }, transaction, cancellationToken: cancellationToken)) == 0)
        {
            return false;
        }

        await AuditWriter.AppendAsync(connection, transaction, Actor.System, "rollup.failed", "rollup", rollupId.ToString(),
            new { errorCode, error }, at, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Moves a failed rollup back to the step that failed (<c>requested</c> when it has no sums yet, else
    /// <c>rendering</c>) with the outbox rows <paramref name="announce"/> gives for that state and an audit row, in
    /// one transaction.
    /// </summary>
    /// <returns>The rollup's state now; null when it does not exist. Not failed: nothing changed.</returns>
    public async Task<(string Status, bool Retried)?> RetryFailedAsync(
        Guid rollupId, Actor retriedBy, Func<string, IReadOnlyCollection<OutboxEntry>> announce, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(announce);
        var at = clock.UtcNow();
        var key = new { RollupId = rollupId };
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var retried = await connection.ExecuteAsync(new CommandDefinition(RetrySql, key, transaction, cancellationToken: cancellationToken)) == 1;
        var status = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(SelectStatusSql, key, transaction, cancellationToken: cancellationToken));
        if (status is null)
        {
            return null;
        }

        if (retried)
        {
            await OutboxWriter.AddAsync(connection, transaction, announce(status), at, cancellationToken);
            await AuditWriter.AppendAsync(connection, transaction, retriedBy, "rollup.retried", "rollup", rollupId.ToString(), new { status }, at, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return (status, retried);
    }

    /// <summary>
    /// Marks stale the period's completed rollups whose subtree holds <paramref name="unitCode"/> and that did not
    /// sum its <paramref name="version"/> or a later one, with a <c>rollup.superseded</c> audit row each, in one
    /// transaction. A rollup already stale is left as it is, so marking again changes nothing.
    /// </summary>
    /// <returns>The rollups marked now.</returns>
    public async Task<IReadOnlyList<Guid>> MarkStaleAsync(
        Guid periodId, string unitCode, Guid submissionId, int version, CancellationToken cancellationToken)
    {
        var at = clock.UtcNow();
        var keys = new { PeriodId = periodId, UnitCode = unitCode, Version = version };
        await using var connection = await connections.OpenAsync(cancellationToken);
        // Nearly every accepted version of a period comes before its first rollup: a read finds nothing to mark and
        // takes no write lock (SQLite has one writer). A rollup stored after this read is one stored after the
        // transaction below would have been; the marking itself stays guarded inside the transaction.
        if ((await connection.QueryAsync<Guid>(new CommandDefinition(SelectSupersededSql, keys, cancellationToken: cancellationToken))).AsList().Count == 0)
        {
            return [];
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var candidates = await connection.QueryAsync<Guid>(new CommandDefinition(SelectSupersededSql, keys, transaction, cancellationToken: cancellationToken));
        var marked = new List<Guid>();
        foreach (var rollupId in candidates.AsList())
        {
            if (await connection.ExecuteAsync(new CommandDefinition(
                    MarkStaleSql, new { RollupId = rollupId, StaleSince = at }, transaction, cancellationToken: cancellationToken)) == 0)
            {
                continue;
            }

            await AuditWriter.AppendAsync(connection, transaction, Actor.System, "rollup.superseded", "rollup", rollupId.ToString(),
                new { unitCode, submissionId, version }, at, cancellationToken);
            marked.Add(rollupId);
        }

        await transaction.CommitAsync(cancellationToken);
        return marked;
    }

    /// <summary>
    /// Whether the period has a rollup that a newly accepted version could make stale: one read, so that a batch of
    /// versions accepted before the period's first rollup (nearly all of them) costs one statement.
    /// </summary>
    public async Task<bool> HasMarkableRollupsAsync(Guid periodId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            CountMarkableSql, new { PeriodId = periodId }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>A rollup with its values, inputs and exclusions.</summary>
    public async Task<Rollup?> GetAsync(Guid rollupId, CancellationToken cancellationToken)
    {
        var key = new { RollupId = rollupId };
        await using var connection = await connections.OpenAsync(cancellationToken);
        var header = await connection.QuerySingleOrDefaultAsync<Rollup>(new CommandDefinition(SelectOneSql, key, cancellationToken: cancellationToken));
        if (header is null)
        {
            return null;
        }

        var values = new List<RollupValue>();
        await using (var reader = await connection.ExecuteReaderAsync(new CommandDefinition(SelectValuesSql, key, cancellationToken: cancellationToken)))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                values.Add(ReadValue(reader));
            }
        }

        var inputs = await connection.QueryAsync<InputRow>(new CommandDefinition(SelectInputsSql, key, cancellationToken: cancellationToken));
        var exclusions = await connection.QueryAsync<ExclusionRow>(new CommandDefinition(SelectExclusionsSql, key, cancellationToken: cancellationToken));
        return header with
        {
            Values = values,
            Inputs = [.. inputs.Select(row => new RollupInput(row.UnitCode, row.SubmissionId, row.Version))],
            Exclusions = [.. exclusions.Select(row => new RollupExclusion(row.UnitCode, row.Reason, row.Rules))],
        };
    }

    /// <summary>A period's rollups, newest first, without their values.</summary>
    public async Task<IReadOnlyList<Rollup>> ListAsync(Guid periodId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<Rollup>(new CommandDefinition(
            SelectForPeriodSql, new { PeriodId = periodId }, cancellationToken: cancellationToken))).AsList();
    }

    // The row is buffered once ReadAsync returns (non-sequential access), so these column reads never block.
    private static RollupValue ReadValue(DbDataReader reader) =>
        new(reader.GetString(0), reader.IsDBNull(1) ? null : StoredDecimal.FromStorage(reader.GetDecimal(1)));

    private static (string UnitCode, decimal? Value) ReadUnitValue(DbDataReader reader) =>
        (reader.GetString(0), reader.IsDBNull(1) ? null : StoredDecimal.FromStorage(reader.GetDecimal(1)));

    private static GroupCellValue ReadGroupValue(DbDataReader reader) =>
        new(Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), reader.GetString(1),
            reader.IsDBNull(2) ? null : StoredDecimal.FromStorage(reader.GetDecimal(2)));

    private static RollupChildValue ReadChildValue(DbDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), StoredDecimal.FromStorage(reader.GetDecimal(2)));

    private static UnitCellValue ReadUnitCell(DbDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : StoredDecimal.FromStorage(reader.GetDecimal(2)));

    /// <summary>A rollup's state without its values, inputs and exclusions: one small row, cheap to read often.</summary>
    public async Task<Rollup?> GetHeaderAsync(Guid rollupId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Rollup>(new CommandDefinition(
            SelectOneSql, new { RollupId = rollupId }, cancellationToken: cancellationToken));
    }

    private static string? Text(decimal? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private sealed record ValueRow(
        [property: System.Text.Json.Serialization.JsonPropertyName("k")] string CellId,
        [property: System.Text.Json.Serialization.JsonPropertyName("v")] string? Value);

    private sealed record InputRowJson(
        [property: System.Text.Json.Serialization.JsonPropertyName("u")] string UnitCode,
        [property: System.Text.Json.Serialization.JsonPropertyName("s")] Guid SubmissionId,
        [property: System.Text.Json.Serialization.JsonPropertyName("v")] int Version);

    private sealed record ExclusionJson(
        [property: System.Text.Json.Serialization.JsonPropertyName("u")] string UnitCode,
        [property: System.Text.Json.Serialization.JsonPropertyName("r")] string Reason,
        [property: System.Text.Json.Serialization.JsonPropertyName("j")] string? RulesJson);

    private sealed record ChildRow(
        [property: System.Text.Json.Serialization.JsonPropertyName("c")] string ChildCode,
        [property: System.Text.Json.Serialization.JsonPropertyName("k")] string CellId,
        [property: System.Text.Json.Serialization.JsonPropertyName("v")] string? Value);

    private sealed record InputKey(
        [property: System.Text.Json.Serialization.JsonPropertyName("s")] Guid SubmissionId,
        [property: System.Text.Json.Serialization.JsonPropertyName("v")] int Version,
        [property: System.Text.Json.Serialization.JsonPropertyName("g")] int Group);

    private sealed record InputRow
    {
        public required string UnitCode { get; init; }

        public required Guid SubmissionId { get; init; }

        public required int Version { get; init; }
    }

    private sealed record ExclusionRow
    {
        public required string UnitCode { get; init; }

        public required string Reason { get; init; }

        public string? Rules { get; init; }
    }
}

namespace Aggregator.Storage.Dialects;

/// <summary>
/// The statements whose text differs between databases (upsert, returning keys, paging, recursion) and the bulk
/// path for cells. Everything else is plain SQL shared by all three, kept beside the repository that runs it.
/// </summary>
public sealed class SqlDialect
{
    public static SqlDialect Sqlite { get; } = Standard(
        DatabaseProvider.Sqlite, new SqliteCellValueWriter(), new StatementVersionWriter(StandardStatements.UpsertSubmissionSql), StandardStatements.ClaimOutboxSqliteSql, StandardStatements.SelectInputCellsSqliteSql, StandardStatements.InsertRollupRowsSqliteSql);

    public static SqlDialect Postgres { get; } = Standard(
        DatabaseProvider.Postgres, new PostgresCellValueWriter(), new PostgresVersionWriter(), StandardStatements.ClaimOutboxPostgresSql, StandardStatements.SumInputCellsPostgresSql, StandardStatements.InsertRollupRowsPostgresSql);

    public static SqlDialect SqlServer { get; } = new()
    {
        Provider = DatabaseProvider.SqlServer,
        CellValues = new SqlServerCellValueWriter(),
        Versions = new StatementVersionWriter(SqlServerStatements.UpsertSubmissionSql),
        UpsertUnitSql = SqlServerStatements.UpsertUnitSql,
        SelectDescendantsSql = SqlServerStatements.SelectDescendantsSql,
        InsertExpectedUnitsSql = SqlServerStatements.InsertExpectedUnitsSql,
        UpsertSubmissionSql = SqlServerStatements.UpsertSubmissionSql,
        SelectSubtreeUnitsSql = SqlServerStatements.SelectSubtreeUnitsSql,
        SelectSubtreeAcceptedCellsSql = SqlServerStatements.SelectSubtreeAcceptedCellsSql,
        SumInputCellsSql = SqlServerStatements.SumInputCellsSql,
        InsertRollupRowsSql = SqlServerStatements.InsertRollupRowsSql,
        UpsertReportSql = SqlServerStatements.UpsertReportSql,
        SelectAuditPageSql = SqlServerStatements.SelectAuditPageSql,
        InsertOutboxReturningIdSql = SqlServerStatements.InsertOutboxReturningIdSql,
        SelectPendingOutboxSql = SqlServerStatements.SelectPendingOutboxSql,
        ClaimOutboxSql = SqlServerStatements.ClaimOutboxSql,
        InsertIdempotencyKeyIfAbsentSql = SqlServerStatements.InsertIdempotencyKeyIfAbsentSql,
    };

    public required DatabaseProvider Provider { get; init; }

    public required ICellValueWriter CellValues { get; init; }

    public required IVersionWriter Versions { get; init; }

    public required string UpsertUnitSql { get; init; }

    public required string SelectDescendantsSql { get; init; }

    public required string InsertExpectedUnitsSql { get; init; }

    /// <summary>Creates the submission or bumps its latest version, atomically; returns <c>id, latest_version</c>.</summary>
    public required string UpsertSubmissionSql { get; init; }

    public required string SelectSubtreeUnitsSql { get; init; }

    public required string SelectSubtreeAcceptedCellsSql { get; init; }

    /// <summary>
    /// The cells of exactly the versions listed in <c>@Inputs</c> (JSON: <c>[{"s": submission id, "v": version, "g": group}]</c>;
    /// on PostgreSQL the arrays <c>@InputIds</c>, <c>@InputVersions</c>, <c>@InputGroups</c>)
    /// as <c>cell_id, value</c> rows: summed per cell where the database sums decimals exactly, one row per unit's
    /// cell where it does not (SQLite keeps them as text), for the caller to add up either way.
    /// </summary>
    public required string SumInputCellsSql { get; init; }

    /// <summary>A rollup's values, inputs, exclusions and child values, each table's rows as one JSON parameter (on PostgreSQL the inputs and exclusions as arrays).</summary>
    public required string InsertRollupRowsSql { get; init; }

    public required string UpsertReportSql { get; init; }

    public required string SelectAuditPageSql { get; init; }

    public required string InsertOutboxReturningIdSql { get; init; }

    public required string SelectPendingOutboxSql { get; init; }

    /// <summary>Leases up to <c>@Max</c> pending, unclaimed rows to the caller until <c>@ClaimedUntil</c>; returns them.</summary>
    public required string ClaimOutboxSql { get; init; }

    public required string InsertIdempotencyKeyIfAbsentSql { get; init; }

    public static SqlDialect For(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => Sqlite,
        DatabaseProvider.Postgres => Postgres,
        DatabaseProvider.SqlServer => SqlServer,
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    // PostgreSQL and SQLite (3.35+) share ON CONFLICT, RETURNING, LIMIT and WITH RECURSIVE, so they share text.
    private static SqlDialect Standard(
        DatabaseProvider provider, ICellValueWriter cellValues, IVersionWriter versions, string claimOutboxSql, string sumInputCellsSql, string insertRollupRowsSql) => new()
    {
        Provider = provider,
        CellValues = cellValues,
        Versions = versions,
        UpsertUnitSql = StandardStatements.UpsertUnitSql,
        SelectDescendantsSql = StandardStatements.SelectDescendantsSql,
        InsertExpectedUnitsSql = StandardStatements.InsertExpectedUnitsSql,
        UpsertSubmissionSql = StandardStatements.UpsertSubmissionSql,
        SelectSubtreeUnitsSql = StandardStatements.SelectSubtreeUnitsSql,
        SelectSubtreeAcceptedCellsSql = StandardStatements.SelectSubtreeAcceptedCellsSql,
        SumInputCellsSql = sumInputCellsSql,
        InsertRollupRowsSql = insertRollupRowsSql,
        UpsertReportSql = StandardStatements.UpsertReportSql,
        SelectAuditPageSql = StandardStatements.SelectAuditPageSql,
        InsertOutboxReturningIdSql = StandardStatements.InsertOutboxReturningIdSql,
        SelectPendingOutboxSql = StandardStatements.SelectPendingOutboxSql,
        ClaimOutboxSql = claimOutboxSql,
        InsertIdempotencyKeyIfAbsentSql = StandardStatements.InsertIdempotencyKeyIfAbsentSql,
    };
}

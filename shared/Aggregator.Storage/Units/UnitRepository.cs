using Aggregator.Storage.Audit;
using Aggregator.Storage.Connections;
using Aggregator.Storage.Dialects;
using Dapper;

namespace Aggregator.Storage.Units;

public sealed class UnitRepository(IDbConnectionFactory connections, SqlDialect dialect, StorageClock clock)
{
    private const string SelectOneSql = """
        SELECT code, name, kind, parent_code, updated_at FROM org_units WHERE code = @Code
        """;

    private const string SelectAllSql = """
        SELECT code, name, kind, parent_code, updated_at FROM org_units ORDER BY code
        """;

    private const string SelectParentsSql = """
        SELECT code, parent_code FROM org_units
        """;

    private const string UpdateSql = """
        UPDATE org_units SET name = @Name, parent_code = @ParentCode, updated_at = @UpdatedAt WHERE code = @Code
        """;

    /// <summary>Inserts or updates units in one transaction; rejects unknown kinds and any change that would make a cycle.</summary>
    /// <returns>The number of units written.</returns>
    public async Task<int> UpsertManyAsync(IReadOnlyCollection<UnitRegistration> units, Actor actor, CancellationToken cancellationToken)
    {
        foreach (var unit in units)
        {
            if (!OrgUnitKind.All.Contains(unit.Kind))
            {
                throw new ArgumentException($"Unit '{unit.Code}' has unknown kind '{unit.Kind}'.", nameof(units));
            }
        }

        var at = clock.UtcNow();
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var existing = await connection.QueryAsync<ParentLink>(new CommandDefinition(SelectParentsSql, transaction: transaction, cancellationToken: cancellationToken));
        var ordered = UnitTree.ParentsFirst(existing.ToDictionary(link => link.Code, link => link.ParentCode, StringComparer.Ordinal), units);

        await connection.ExecuteAsync(new CommandDefinition(
            dialect.UpsertUnitSql,
            ordered.Select(unit => new { unit.Code, unit.Name, unit.Kind, unit.ParentCode, UpdatedAt = at }),
            transaction,
            cancellationToken: cancellationToken));
        await AuditWriter.AppendAsync(connection, transaction, actor, "units.upserted", "org_unit", units.Count == 1 ? units.First().Code : "*",
            new { count = units.Count }, at, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ordered.Count;
    }

    /// <summary>
    /// Renames and/or moves one unit in one transaction, audited as <c>unit.renamed</c> / <c>unit.moved</c>; the cycle
    /// check reads the tree inside the same transaction so that two concurrent moves cannot both pass it.
    /// </summary>
    public async Task<UnitChangeOutcome> ChangeAsync(string code, string name, string? parentCode, Actor actor, CancellationToken cancellationToken)
    {
        var at = clock.UtcNow();
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var current = await connection.QuerySingleOrDefaultAsync<OrgUnit>(new CommandDefinition(
            SelectOneSql, new { Code = code }, transaction, cancellationToken: cancellationToken));
        if (current is null)
        {
            return UnitChangeOutcome.NotFound;
        }

        var parents = (await connection.QueryAsync<ParentLink>(new CommandDefinition(SelectParentsSql, transaction: transaction, cancellationToken: cancellationToken)))
            .ToDictionary(link => link.Code, link => link.ParentCode, StringComparer.Ordinal);
        if (parentCode is not null)
        {
            if (!parents.ContainsKey(parentCode))
            {
                return UnitChangeOutcome.ParentNotFound;
            }

            if (UnitTree.IsAncestorOrSelf(code, parentCode, parents))
            {
                return UnitChangeOutcome.Cycle;
            }
        }

        var renamed = !string.Equals(current.Name, name, StringComparison.Ordinal);
        var moved = !string.Equals(current.ParentCode, parentCode, StringComparison.Ordinal);
        if (!renamed && !moved)
        {
            return UnitChangeOutcome.Unchanged;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            UpdateSql, new { Code = code, Name = name, ParentCode = parentCode, UpdatedAt = at }, transaction, cancellationToken: cancellationToken));
        if (renamed)
        {
            await AuditWriter.AppendAsync(connection, transaction, actor, "unit.renamed", "org_unit", code, new { from = current.Name, to = name }, at, cancellationToken);
        }

        if (moved)
        {
            await AuditWriter.AppendAsync(connection, transaction, actor, "unit.moved", "org_unit", code, new { from = current.ParentCode, to = parentCode }, at, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return UnitChangeOutcome.Changed;
    }

    public async Task<OrgUnit?> GetAsync(string code, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<OrgUnit>(new CommandDefinition(SelectOneSql, new { Code = code }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<OrgUnit>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<OrgUnit>(new CommandDefinition(SelectAllSql, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Every unit below <paramref name="code"/> at any depth, not the unit itself, ordered by code.</summary>
    public async Task<IReadOnlyList<OrgUnit>> GetDescendantsAsync(string code, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<OrgUnit>(new CommandDefinition(
            dialect.SelectDescendantsSql, new { RootUnitCode = code }, cancellationToken: cancellationToken))).AsList();
    }

    private sealed record ParentLink
    {
        public required string Code { get; init; }

        public string? ParentCode { get; init; }
    }
}

public enum UnitChangeOutcome
{
    Changed,
    Unchanged,
    NotFound,
    ParentNotFound,

    /// <summary>The new parent is the unit itself or one of its descendants.</summary>
    Cycle,
}

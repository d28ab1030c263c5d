using Aggregator.Storage.Audit;
using Aggregator.Storage.Connections;
using Dapper;

namespace Aggregator.Storage.ApiKeys;

/// <summary>An API key as stored: its public prefix and a hash of the secret, never the secret itself.</summary>
public sealed record ApiKey
{
    public required Guid Id { get; init; }

    /// <summary>The non-secret start of the key, used to find its row.</summary>
    public required string KeyPrefix { get; init; }

    public required string KeyHash { get; init; }

    /// <summary>One of <see cref="ApiKeyRole"/>.</summary>
    public required string Role { get; init; }

    /// <summary>The unit a <c>unit</c> key reports for.</summary>
    public string? UnitCode { get; init; }

    public required string Label { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }
}

public sealed class ApiKeyRepository(IDbConnectionFactory connections, StorageClock clock)
{
    private const string InsertSql = """
        INSERT INTO api_keys (id, key_prefix, key_hash, role, unit_code, label, created_at, revoked_at)
        VALUES (@Id, @KeyPrefix, @KeyHash, @Role, @UnitCode, @Label, @CreatedAt, NULL)
        """;

    private const string Columns = "SELECT id, key_prefix, key_hash, role, unit_code, label, created_at, revoked_at FROM api_keys";

    private const string SelectByPrefixSql = Columns + " WHERE key_prefix = @KeyPrefix";

    private const string SelectAllSql = Columns + " ORDER BY created_at, id";

    private const string RevokeSql = "UPDATE api_keys SET revoked_at = @RevokedAt WHERE id = @Id AND revoked_at IS NULL";

    /// <summary>Stores a new key; <see cref="ApiKey.CreatedAt"/> and <see cref="ApiKey.RevokedAt"/> are set here.</summary>
    /// <exception cref="DuplicateRecordException">The prefix is taken.</exception>
    public async Task<ApiKey> AddAsync(ApiKey key, Actor issuedBy, CancellationToken cancellationToken)
    {
        var stored = key with { CreatedAt = clock.UtcNow(), RevokedAt = null };
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(InsertSql, stored, transaction, cancellationToken: cancellationToken));
        }
        catch (Exception exception) when (UniqueKeyViolations.IsUniqueKeyViolation(exception))
        {
            throw new DuplicateRecordException($"An API key with prefix '{key.KeyPrefix}' exists already.", exception);
        }

        await AuditWriter.AppendAsync(connection, transaction, issuedBy, "api_key.issued", "api_key", stored.Id.ToString(),
            new { stored.Role, stored.UnitCode, stored.Label, stored.KeyPrefix }, stored.CreatedAt, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    /// <summary>
    /// Stores many keys in one transaction, audited as one <c>api_keys.issued_bulk</c> event that names the units and
    /// prefixes (never a secret): all are stored or none.
    /// </summary>
    /// <exception cref="DuplicateRecordException">A prefix is taken; nothing was stored.</exception>
    public async Task<IReadOnlyList<ApiKey>> AddManyAsync(IReadOnlyList<ApiKey> keys, object auditDetails, Actor issuedBy, CancellationToken cancellationToken)
    {
        var at = clock.UtcNow();
        var stored = keys.Select(key => key with { CreatedAt = at, RevokedAt = null }).ToList();
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(InsertSql, stored, transaction, cancellationToken: cancellationToken));
        }
        catch (Exception exception) when (UniqueKeyViolations.IsUniqueKeyViolation(exception))
        {
            throw new DuplicateRecordException("One of the API key prefixes exists already.", exception);
        }

        await AuditWriter.AppendAsync(connection, transaction, issuedBy, "api_keys.issued_bulk", "api_key", "*", auditDetails, at, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    public async Task<ApiKey?> FindByPrefixAsync(string keyPrefix, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ApiKey>(new CommandDefinition(
            SelectByPrefixSql, new { KeyPrefix = keyPrefix }, cancellationToken: cancellationToken));
    }

    /// <returns>False when the key does not exist or was revoked already.</returns>
    public async Task<bool> RevokeAsync(Guid id, Actor revokedBy, CancellationToken cancellationToken)
    {
        var at = clock.UtcNow();
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteAsync(new CommandDefinition(RevokeSql, new { Id = id, RevokedAt = at }, transaction, cancellationToken: cancellationToken)) == 0)
        {
            return false;
        }

        await AuditWriter.AppendAsync(connection, transaction, revokedBy, "api_key.revoked", "api_key", id.ToString(), null, at, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<ApiKey>(new CommandDefinition(SelectAllSql, cancellationToken: cancellationToken))).AsList();
    }
}

using Aggregator.Storage.Connections;
using Aggregator.Storage.Dialects;
using Dapper;

namespace Aggregator.Storage.Idempotency;

/// <summary>The response stored for a POST carrying an <c>Idempotency-Key</c>, replayed when the key comes again.</summary>
public sealed record IdempotentResponse
{
    /// <summary>The API key (or <c>cli</c>) that owns the idempotency key; keys of different callers never collide.</summary>
    public required string OwnerKeyId { get; init; }

    public required string IdempotencyKey { get; init; }

    /// <summary>A hash of the request, to refuse the same key reused for a different request.</summary>
    public required string RequestHash { get; init; }

    public required int StatusCode { get; init; }

    public string? ResponseBody { get; init; }

    public string? ContentType { get; init; }

    public string? Location { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}

/// <param name="Inserted">True when this call stored the row; false when <paramref name="Stored"/> was there before.</param>
public sealed record IdempotencyInsertResult(bool Inserted, IdempotentResponse Stored);

public sealed class IdempotencyKeyRepository(IDbConnectionFactory connections, SqlDialect dialect, StorageClock clock)
{
    private const string SelectSql = """
        SELECT owner_key_id, idempotency_key, request_hash, status_code, response_body, content_type, location, created_at
        FROM idempotency_keys
        WHERE owner_key_id = @OwnerKeyId AND idempotency_key = @IdempotencyKey
        """;

    private const string DeleteOlderSql = "DELETE FROM idempotency_keys WHERE created_at < @Before";

    public async Task<IdempotentResponse?> TryGetAsync(string ownerKeyId, string idempotencyKey, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<IdempotentResponse>(new CommandDefinition(
            SelectSql, new { OwnerKeyId = ownerKeyId, IdempotencyKey = idempotencyKey }, cancellationToken: cancellationToken));
    }

    /// <summary>Stores the response unless the key has one already, in which case that one is returned.</summary>
    public async Task<IdempotencyInsertResult> TryInsertAsync(IdempotentResponse response, CancellationToken cancellationToken)
    {
        var row = response with { CreatedAt = clock.UtcNow() };
        await using var connection = await connections.OpenAsync(cancellationToken);
        int inserted;
        try
        {
            inserted = await connection.ExecuteAsync(new CommandDefinition(dialect.InsertIdempotencyKeyIfAbsentSql, row, cancellationToken: cancellationToken));
        }
        catch (Exception exception) when (UniqueKeyViolations.IsUniqueKeyViolation(exception))
        {
            inserted = 0;
        }

        if (inserted == 1)
        {
            return new IdempotencyInsertResult(true, row);
        }

        var existing = await connection.QuerySingleAsync<IdempotentResponse>(new CommandDefinition(
            SelectSql, new { row.OwnerKeyId, row.IdempotencyKey }, cancellationToken: cancellationToken));
        return new IdempotencyInsertResult(false, existing);
    }

    /// <returns>The number of rows removed.</returns>
    public async Task<int> DeleteOlderThanAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(DeleteOlderSql, new { Before = before }, cancellationToken: cancellationToken));
    }
}

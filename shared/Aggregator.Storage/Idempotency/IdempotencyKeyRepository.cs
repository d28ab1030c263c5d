using System.Data.Common;
using Aggregator.Storage.Connections;
using Aggregator.Storage.Dialects;
using Dapper;

namespace Aggregator.Storage.Idempotency;

/// <summary>The response stored for a POST carrying an <c>Idempotency-Key</c>, replayed when the key comes again.</summary>
public sealed record IdempotentResponse
{
    /// <summary>The status code of a reserved key whose request is still running: no HTTP response has it.</summary>
    public const int InProgressStatusCode = 0;

    /// <summary>The API key (or <c>cli</c>) that owns the idempotency key; keys of different callers never collide.</summary>
    public required string OwnerKeyId { get; init; }

    public required string IdempotencyKey { get; init; }

    /// <summary>A hash of the request, to refuse the same key reused for a different request.</summary>
    public required string RequestHash { get; init; }

    public required int StatusCode { get; init; }

    public string? ResponseBody { get; init; }

    public string? ContentType { get; init; }

    public string? Location { get; init; }

    /// <summary>When the key was reserved; it also tells a reservation from a later one that took over the key.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>True for a reservation whose request has not completed yet (nothing to replay).</summary>
    public bool IsInProgress => StatusCode == InProgressStatusCode;
}

/// <param name="Inserted">True when this call stored the row; false when <paramref name="Stored"/> was there before.</param>
public sealed record IdempotencyInsertResult(bool Inserted, IdempotentResponse Stored);

/// <param name="Won">
/// True when this caller holds the key and must run the request, then <c>CompleteAsync</c> or <c>ReleaseAsync</c> it with
/// <paramref name="Row"/>; false when <paramref name="Row"/> is another request's reservation or completed response.
/// </param>
public sealed record IdempotencyReservation(bool Won, IdempotentResponse Row);

/// <summary>
/// Idempotency keys kept in the database, so that they hold across every API process: a key is reserved by inserting
/// its row first (status <see cref="IdempotentResponse.InProgressStatusCode"/>), and only the caller whose insert won
/// runs the request; it then completes the row with the response, or releases it when the request failed.
/// </summary>
public sealed class IdempotencyKeyRepository(IDbConnectionFactory connections, SqlDialect dialect, StorageClock clock)
{
    private const string SelectSql = """
        SELECT owner_key_id, idempotency_key, request_hash, status_code, response_body, content_type, location, created_at
        FROM idempotency_keys
        WHERE owner_key_id = @OwnerKeyId AND idempotency_key = @IdempotencyKey
        """;

    private const string TakeOverAbandonedSql = """
        UPDATE idempotency_keys
        SET request_hash = @RequestHash, created_at = @CreatedAt
        WHERE owner_key_id = @OwnerKeyId AND idempotency_key = @IdempotencyKey
          AND status_code = 0 AND created_at < @AbandonedBefore
        """;

    private const string CompleteSql = """
        UPDATE idempotency_keys
        SET status_code = @StatusCode, response_body = @ResponseBody, content_type = @ContentType, location = @Location
        WHERE owner_key_id = @OwnerKeyId AND idempotency_key = @IdempotencyKey
          AND status_code = 0 AND created_at = @CreatedAt
        """;

    private const string ReleaseSql = """
        DELETE FROM idempotency_keys
        WHERE owner_key_id = @OwnerKeyId AND idempotency_key = @IdempotencyKey
          AND status_code = 0 AND created_at = @CreatedAt
        """;

    private const string DeleteOlderSql = "DELETE FROM idempotency_keys WHERE created_at < @Before";

    public async Task<IdempotentResponse?> TryGetAsync(string ownerKeyId, string idempotencyKey, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<IdempotentResponse>(new CommandDefinition(
            SelectSql, new { OwnerKeyId = ownerKeyId, IdempotencyKey = idempotencyKey }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Reserves the key for a request with <paramref name="requestHash"/>, unless another request holds it or has
    /// completed under it. A reservation older than <paramref name="abandonedAfter"/> is taken over: its process is
    /// presumed gone, and the key would otherwise stay unusable for ever.
    /// </summary>
    public async Task<IdempotencyReservation> ReserveAsync(
        string ownerKeyId, string idempotencyKey, string requestHash, TimeSpan abandonedAfter, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);

        // A reservation can be released between our failed insert and our read; a few rounds settle any such race.
        for (var attempt = 0; ; attempt++)
        {
            var now = clock.UtcNow();
            var reservation = new IdempotentResponse
            {
                OwnerKeyId = ownerKeyId,
                IdempotencyKey = idempotencyKey,
                RequestHash = requestHash,
                StatusCode = IdempotentResponse.InProgressStatusCode,
                CreatedAt = now,
            };
            if (await TryInsertAsync(connection, reservation, cancellationToken))
            {
                return new IdempotencyReservation(true, reservation);
            }

            var takenOver = await connection.ExecuteAsync(new CommandDefinition(TakeOverAbandonedSql, new
            {
                reservation.OwnerKeyId, reservation.IdempotencyKey, reservation.RequestHash, reservation.CreatedAt,
                AbandonedBefore = now - abandonedAfter,
            }, cancellationToken: cancellationToken));
            if (takenOver == 1)
            {
                return new IdempotencyReservation(true, reservation);
            }

            var existing = await connection.QuerySingleOrDefaultAsync<IdempotentResponse>(new CommandDefinition(
                SelectSql, new { OwnerKeyId = ownerKeyId, IdempotencyKey = idempotencyKey }, cancellationToken: cancellationToken));
            if (existing is not null || attempt == 3)
            {
                return new IdempotencyReservation(false, existing ?? reservation);
            }
        }
    }

    /// <summary>
    /// Stores the response of the request that won <paramref name="response"/>'s reservation (same owner, key and
    /// <see cref="IdempotentResponse.CreatedAt"/>).
    /// </summary>
    /// <returns>False when the reservation is no longer this caller's (released, or taken over as abandoned).</returns>
    public async Task<bool> CompleteAsync(IdempotentResponse response, CancellationToken cancellationToken)
    {
        if (response.IsInProgress)
        {
            throw new ArgumentException("A completed request needs its HTTP status code.", nameof(response));
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(CompleteSql, response, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Gives the key up after its request failed, so that a corrected request can use it; completed keys stay.</summary>
    /// <returns>False when the reservation was no longer this caller's.</returns>
    public async Task<bool> ReleaseAsync(IdempotentResponse reservation, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(ReleaseSql, new
        {
            reservation.OwnerKeyId, reservation.IdempotencyKey, reservation.CreatedAt,
        }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Stores the response unless the key has one already, in which case that one is returned.</summary>
    public async Task<IdempotencyInsertResult> TryInsertAsync(IdempotentResponse response, CancellationToken cancellationToken)
    {
        var row = response with { CreatedAt = clock.UtcNow() };
        await using var connection = await connections.OpenAsync(cancellationToken);
        if (await TryInsertAsync(connection, row, cancellationToken))
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

    private async Task<bool> TryInsertAsync(DbConnection connection, IdempotentResponse row, CancellationToken cancellationToken)
    {
        try
        {
            return await connection.ExecuteAsync(new CommandDefinition(dialect.InsertIdempotencyKeyIfAbsentSql, row, cancellationToken: cancellationToken)) == 1;
        }
        catch (Exception exception) when (UniqueKeyViolations.IsUniqueKeyViolation(exception))
        {
            return false;
        }
    }
}

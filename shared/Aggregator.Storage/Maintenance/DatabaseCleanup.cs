using Aggregator.Storage.Idempotency;
using Aggregator.Storage.Outbox;
using Microsoft.Extensions.Options;

namespace Aggregator.Storage.Maintenance;

/// <summary>What one cleanup pass removed.</summary>
public sealed record DatabaseCleanupResult(int PublishedOutboxRows, int IdempotencyKeys);

/// <summary>Removes published outbox rows and idempotency keys past their retention; nothing still needed.</summary>
public sealed class DatabaseCleanup(IOutboxStore outbox, IdempotencyKeyRepository idempotency, IOptions<DatabaseCleanupOptions> options, TimeProvider clock)
{
    public async Task<DatabaseCleanupResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var outboxRows = await outbox.DeletePublishedBeforeAsync(now - settings.PublishedOutboxRetention, cancellationToken);
        var keys = await idempotency.DeleteOlderThanAsync(now - settings.IdempotencyKeyRetention, cancellationToken);
        return new DatabaseCleanupResult(outboxRows, keys);
    }
}

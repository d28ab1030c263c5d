using Aggregator.Redaction;
using Aggregator.Storage.Outbox;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aggregator.Messaging.Outbox;

/// <summary>
/// Publishes stored-but-unannounced outbox rows through the bus and marks them published. A row is marked only
/// after the broker confirmed it, so a crash or an outage at any point leads to a republish, never to a loss.
/// </summary>
public sealed class OutboxRelay(
    IServiceScopeFactory scopes,
    IBus bus,
    IOptions<MessagingOptions> options,
    TimeProvider clock,
    ILogger<OutboxRelay> logger) : IDisposable
{
    /// <summary>The header that carries the row id, so that a duplicate can be traced to its row.</summary>
    public const string OutboxIdHeader = "Aggregator-Outbox-Id";

    // Rows are stamped by the database's clock or another process's; a little slack keeps a row committed just now
    // from being left out of an immediate pass because the two clocks disagree.
    private static readonly TimeSpan ClockSkewTolerance = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim oneAtATime = new(1, 1);

    private OutboxRelayOptions Settings => options.Value.Outbox;

    /// <summary>Publishes every pending row, oldest first, until none is left or the broker stops confirming.</summary>
    public Task<OutboxRelayResult> PublishPendingAsync(CancellationToken cancellationToken) =>
        PublishPendingAsync(TimeSpan.Zero, cancellationToken);

    /// <summary>Publishes the pending rows created at least <paramref name="minimumAge"/> ago.</summary>
    public async Task<OutboxRelayResult> PublishPendingAsync(TimeSpan minimumAge, CancellationToken cancellationToken)
    {
        await oneAtATime.WaitAsync(cancellationToken);
        try
        {
            var now = clock.GetUtcNow();
            var createdBefore = minimumAge > TimeSpan.Zero ? now - minimumAge : now + ClockSkewTolerance;

            await using var scope = scopes.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<IOutboxStore>();
            return await RelayAsync(store, createdBefore, cancellationToken);
        }
        finally
        {
            oneAtATime.Release();
        }
    }

    public void Dispose() => oneAtATime.Dispose();

    private async Task<OutboxRelayResult> RelayAsync(IOutboxStore store, DateTimeOffset createdBefore, CancellationToken cancellationToken)
    {
        var batchSize = Math.Max(1, Settings.BatchSize);
        var failedThisPass = new HashSet<long>();
        var published = 0;
        var dead = 0;

        while (true)
        {
            var pending = await store.ClaimPendingAsync(createdBefore, batchSize, Settings.ClaimLease, cancellationToken);
            var batch = pending.Where(row => !failedThisPass.Contains(row.Id)).ToList();
            if (batch.Count == 0)
                break;

            var outcomes = await Task.WhenAll(batch.Select(row => PublishAsync(row, cancellationToken)));

            var confirmed = outcomes.Where(outcome => outcome.Error is null).Select(outcome => outcome.Row.Id).ToList();
            if (confirmed.Count > 0)
                await store.MarkPublishedAsync(confirmed, clock.GetUtcNow(), cancellationToken);
            published += confirmed.Count;

            var failures = outcomes.Where(outcome => outcome.Error is not null).ToList();
            // When nothing in the batch got through, the broker is down, which is no fault of the rows: an outage of
            // any length must not kill them. A row that fails beside confirmed ones, or cannot be read, counts.
            var brokerDown = confirmed.Count == 0 && failures.Any(failure => failure.Error is not OutboxPayloadException);
            var brokerFailed = false;
            foreach (var failure in failures)
            {
                failedThisPass.Add(failure.Row.Id);
                brokerFailed |= failure.Error is not OutboxPayloadException;
                var countsTowardDeath = failure.Error is OutboxPayloadException || !brokerDown;
                if (await RecordFailureAsync(store, failure, countsTowardDeath ? Math.Max(1, Settings.MaxAttempts) : int.MaxValue, cancellationToken))
                    dead++;
            }

            // A broker that failed one publish is down for the rest too; a full batch may have more rows behind it.
            if (brokerFailed || pending.Count < batchSize || confirmed.Count == 0)
                break;
        }

        if (published > 0)
            logger.LogDebug("Outbox relay published {Published} message(s)", published);
        return new OutboxRelayResult(published, failedThisPass.Count, dead);
    }

    private async Task<PublishOutcome> PublishAsync(OutboxMessage row, CancellationToken cancellationToken)
    {
        try
        {
            var (message, messageType) = new OutboxPayload(row.MessageType, row.Payload).Deserialize();

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Settings.PublishTimeout);

            // With publisher confirms on, the publish completes only once the broker has taken the message.
            await bus.Publish(message, messageType, Pipe.Execute<PublishContext>(context =>
            {
                // The same row always goes out under the same id, so that a consumer or the broker can tell a republish.
                context.MessageId = OutboxMessageIds.For(row.Id);
                context.Headers.Set(OutboxIdHeader, row.Id);
            }), timeout.Token);
            return new PublishOutcome(row, null);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            return new PublishOutcome(row, exception);
        }
    }

    private async Task<bool> RecordFailureAsync(IOutboxStore store, PublishOutcome failure, int deadAfterAttempts, CancellationToken cancellationToken)
    {
        var reason = failure.Error is OperationCanceledException
            ? $"The broker did not confirm the publish within {Settings.PublishTimeout}."
            : SecretRedactor.Redact($"{failure.Error!.GetType().Name}: {failure.Error.Message}");

        logger.LogWarning(
            "Outbox row {OutboxId} ({MessageType}) was not published, attempt {Attempt}: {Reason}",
            failure.Row.Id, failure.Row.MessageType, failure.Row.Attempts + 1, reason);

        try
        {
            if (!await store.RecordFailedAttemptAsync(failure.Row.Id, reason, deadAfterAttempts, cancellationToken))
                return false;
            logger.LogError(
                "Outbox row {OutboxId} ({MessageType}) is dead after {Attempts} failed attempts and will not be published again: {Reason}",
                failure.Row.Id, failure.Row.MessageType, failure.Row.Attempts + 1, reason);
            return true;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The row stays pending either way; only its attempt count misses this failure.
            logger.LogWarning(
                "Could not record the failed attempt of outbox row {OutboxId}: {Reason}",
                failure.Row.Id, SecretRedactor.Redact(exception.Message));
            return false;
        }
    }

    private sealed record PublishOutcome(OutboxMessage Row, Exception? Error);
}

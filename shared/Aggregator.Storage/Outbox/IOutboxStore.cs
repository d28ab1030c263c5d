namespace Aggregator.Storage.Outbox;

/// <summary>A message stored in the same transaction as the record it announces, not yet published.</summary>
/// <param name="MessageType">The contract's full type name, e.g. <c>Aggregator.Contracts.SubmissionReceived</c>.</param>
/// <param name="Payload">The contract serialised as JSON (System.Text.Json, web defaults).</param>
public sealed record OutboxMessage(long Id, string MessageType, string Payload, DateTimeOffset CreatedAt, int Attempts);

/// <summary>
/// The unannounced side of the pipeline: repositories add outbox rows inside their own transactions; the relay
/// publishes them after commit and marks them published; a sweeper publishes whatever a crash or a broker
/// outage left behind.
/// </summary>
public interface IOutboxStore
{
    /// <summary>Rows not yet published, created at or before <paramref name="createdBefore"/>, oldest first.</summary>
    Task<IReadOnlyList<OutboxMessage>> GetPendingAsync(DateTimeOffset createdBefore, int max, CancellationToken cancellationToken);

    /// <summary>Marks rows published; harmless when already marked.</summary>
    Task MarkPublishedAsync(IReadOnlyCollection<long> ids, DateTimeOffset publishedAt, CancellationToken cancellationToken);

    /// <summary>Counts a failed publish attempt, so that poison rows are visible.</summary>
    Task RecordFailedAttemptAsync(long id, string error, CancellationToken cancellationToken);

    /// <summary>Adds a row outside any other write (for messages with no record of their own).</summary>
    Task<long> AddAsync(string messageType, string payload, CancellationToken cancellationToken);
}

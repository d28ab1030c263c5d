namespace Aggregator.Storage.Outbox;

/// <summary>A message stored in the same transaction as the record it announces, not yet published.</summary>
/// <param name="MessageType">The contract's full type name, e.g. <c>Aggregator.Contracts.SubmissionReceived</c>.</param>
/// <param name="Payload">The contract serialised as JSON (System.Text.Json, web defaults).</param>
public sealed record OutboxMessage(long Id, string MessageType, string Payload, DateTimeOffset CreatedAt, int Attempts);

/// <summary>The outbox's backlog: rows still to publish, and dead rows that ops must look at.</summary>
public sealed record OutboxCounts(long Pending, long Dead);

/// <summary><see cref="OutboxCounts"/> with the creation time of the oldest row still to publish (null when none is).</summary>
public sealed record OutboxBacklog(long Pending, long Dead, DateTimeOffset? OldestPendingCreatedAt);

/// <summary>The values of <c>outbox.status</c>.</summary>
public static class OutboxStatuses
{
    public const string Pending = "pending";
    public const string Published = "published";
    public const string Dead = "dead";
}

/// <summary>
/// The unannounced side of the pipeline: repositories add outbox rows inside their own transactions; the relay
/// publishes them after commit and marks them published; a sweeper publishes whatever a crash or a broker
/// outage left behind.
/// </summary>
public interface IOutboxStore
{
    /// <summary>Rows not yet published, created at or before <paramref name="createdBefore"/>, oldest first.</summary>
    Task<IReadOnlyList<OutboxMessage>> GetPendingAsync(DateTimeOffset createdBefore, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="max"/> pending rows created at or before <paramref name="createdBefore"/> that no
    /// other relay holds, for <paramref name="lease"/>; oldest first. Racing relays get disjoint rows, and a relay that
    /// dies leaves its rows to others once the lease runs out.
    /// </summary>
    Task<IReadOnlyList<OutboxMessage>> ClaimPendingAsync(DateTimeOffset createdBefore, int max, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Marks rows published; harmless when already marked.</summary>
    Task MarkPublishedAsync(IReadOnlyCollection<long> ids, DateTimeOffset publishedAt, CancellationToken cancellationToken);

    /// <summary>
    /// Counts a failed publish attempt with its error, so that poison rows are visible; the row keeps its claim until
    /// the lease runs out, which spaces the retries. At <paramref name="deadAfterAttempts"/> the row becomes dead:
    /// kept with its last error, no longer relayed. Returns whether it did.
    /// </summary>
    Task<bool> RecordFailedAttemptAsync(long id, string error, int deadAfterAttempts, CancellationToken cancellationToken);

    /// <summary>Rows waiting to be published and rows given up on.</summary>
    Task<OutboxCounts> CountAsync(CancellationToken cancellationToken);

    /// <summary>The counts of <see cref="CountAsync"/> and the age of the backlog, in one round trip.</summary>
    Task<OutboxBacklog> ReadBacklogAsync(CancellationToken cancellationToken);

    /// <summary>Deletes rows published before <paramref name="before"/>; pending and dead rows stay. Returns the number removed.</summary>
    Task<int> DeletePublishedBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>Adds a row outside any other write (for messages with no record of their own).</summary>
    Task<long> AddAsync(string messageType, string payload, CancellationToken cancellationToken);
}

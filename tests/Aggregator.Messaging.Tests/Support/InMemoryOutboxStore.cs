using Aggregator.Storage.Outbox;

namespace Aggregator.Messaging.Tests.Support;

/// <summary>
/// A list-backed outbox store for the relay tests only, so that they exercise the relay and the broker and nothing
/// else; the SQL stores have their own tests in the storage test project.
/// </summary>
public sealed class InMemoryOutboxStore(TimeProvider clock) : IOutboxStore
{
    private readonly Lock gate = new();
    private readonly List<StoredRow> rows = [];
    private readonly List<(int Reads, TaskCompletionSource Reached)> readWaiters = [];
    private long nextId;
    private int reads;

    /// <summary>How often a relay asked for pending rows: each relay pass starts with one read (and has one when its rows fit a batch).</summary>
    public int Reads => Volatile.Read(ref reads);

    /// <summary>Completes once the relay has read the pending rows <paramref name="count"/> times.</summary>
    public Task WhenReadAsync(int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (reads >= count)
                return Task.CompletedTask;
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            readWaiters.Add((count, reached));
            return WaitAsync(reached.Task);
        }

        async Task WaitAsync(Task reached)
        {
            try
            {
                await reached.WaitAsync(timeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"Gave up after {timeout.TotalSeconds:0.##} s waiting for {count} reads of the pending rows; saw {Reads}.");
            }
        }
    }

    public Task<IReadOnlyList<OutboxMessage>> GetPendingAsync(DateTimeOffset createdBefore, int max, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            IReadOnlyList<OutboxMessage> pending = [.. rows
                .Where(row => row.PublishedAt is null && !row.Dead && row.CreatedAt <= createdBefore)
                .OrderBy(row => row.CreatedAt).ThenBy(row => row.Id)
                .Take(max)
                .Select(row => new OutboxMessage(row.Id, row.MessageType, row.Payload, row.CreatedAt, row.Attempts))];
            reads++;
            foreach (var waiter in readWaiters.Where(waiter => waiter.Reads <= reads).ToList())
            {
                readWaiters.Remove(waiter);
                waiter.Reached.TrySetResult();
            }

            return Task.FromResult(pending);
        }
    }

    public async Task<IReadOnlyList<OutboxMessage>> ClaimPendingAsync(DateTimeOffset createdBefore, int max, TimeSpan lease, CancellationToken cancellationToken)
    {
        var pending = await GetPendingAsync(createdBefore, int.MaxValue, cancellationToken);
        var now = clock.GetUtcNow();
        lock (gate)
        {
            var claimed = rows.Where(row => row.ClaimedUntil is null || row.ClaimedUntil < now)
                .Where(row => pending.Any(message => message.Id == row.Id))
                .Take(max)
                .ToList();
            foreach (var row in claimed)
                row.ClaimedUntil = now + lease;
            return [.. pending.Where(message => claimed.Any(row => row.Id == message.Id))];
        }
    }

    public Task<OutboxCounts> CountAsync(CancellationToken cancellationToken)
    {
        lock (gate)
            return Task.FromResult(new OutboxCounts(rows.Count(row => row.PublishedAt is null && !row.Dead), rows.Count(row => row.Dead)));
    }

    public Task<OutboxBacklog> ReadBacklogAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var pending = rows.Where(row => row.PublishedAt is null && !row.Dead).ToList();
            return Task.FromResult(new OutboxBacklog(pending.Count, rows.Count(row => row.Dead), pending.Count == 0 ? null : pending.Min(row => row.CreatedAt)));
        }
    }

    public Task<int> DeletePublishedBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        lock (gate)
            return Task.FromResult(rows.RemoveAll(row => row.PublishedAt < before));
    }

    public Task MarkPublishedAsync(IReadOnlyCollection<long> ids, DateTimeOffset publishedAt, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            foreach (var row in rows.Where(row => ids.Contains(row.Id)))
            {
                row.PublishedAt ??= publishedAt;
                row.TimesMarked++;
            }
        }

        return Task.CompletedTask;
    }

    public Task<bool> RecordFailedAttemptAsync(long id, string error, int deadAfterAttempts, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var row = rows.Single(row => row.Id == id);
            row.Attempts++;
            row.LastError = error;
            row.Dead |= row.Attempts >= deadAfterAttempts;
            return Task.FromResult(row.Dead);
        }
    }

    /// <summary>Lets the rows' claims run out at once, as if their lease had passed.</summary>
    public void ExpireClaims()
    {
        lock (gate)
        {
            foreach (var row in rows)
                row.ClaimedUntil = null;
        }
    }

    public Task<long> AddAsync(string messageType, string payload, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var row = new StoredRow(++nextId, messageType, payload, clock.GetUtcNow());
            rows.Add(row);
            return Task.FromResult(row.Id);
        }
    }

    /// <summary>Stores a row that an earlier relay already published.</summary>
    public long AddPublished(string messageType, string payload)
    {
        lock (gate)
        {
            var now = clock.GetUtcNow();
            var row = new StoredRow(++nextId, messageType, payload, now) { PublishedAt = now };
            rows.Add(row);
            return row.Id;
        }
    }

    public IReadOnlyList<StoredRow> Snapshot()
    {
        lock (gate)
            return [.. rows.Select(row => row with { })];
    }

    public sealed record StoredRow(long Id, string MessageType, string Payload, DateTimeOffset CreatedAt)
    {
        public DateTimeOffset? PublishedAt { get; set; }

        public int Attempts { get; set; }

        public string? LastError { get; set; }

        public int TimesMarked { get; set; }

        public DateTimeOffset? ClaimedUntil { get; set; }

        public bool Dead { get; set; }
    }
}

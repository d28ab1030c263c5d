using Aggregator.Storage.Connections;
using Aggregator.Storage.Outbox;

namespace Aggregator.Storage.Submissions;

/// <summary>
/// Stores the versions that concurrent requests submit one each, several to a transaction (group commit): while one
/// transaction is being written, the versions that arrive meanwhile queue and go together into the next. A request
/// still gets its answer only once its version is committed, and a version the database refuses fails alone: a batch
/// that fails is written again one version at a time.
/// </summary>
public sealed class GroupCommitWriter(SubmissionRepository submissions)
{
    private const int MaxBatch = 64;

    private readonly Lock _gate = new();
    private List<Pending> _queue = [];
    private bool _writing;
    private long _transactions;

    /// <summary>How many transactions have been written (a batch written again one by one counts each).</summary>
    public long Transactions => Interlocked.Read(ref _transactions);

    /// <exception cref="ArgumentException">The version has a cell twice.</exception>
    public Task<StoredVersion> AddAsync(
        NewVersion version, Actor submittedBy, Func<StoredVersion, IReadOnlyCollection<OutboxEntry>> announce)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(announce);
        SubmissionRepository.RejectDuplicateCells(version.Cells);
        var pending = new Pending(version with { SubmittedBy = submittedBy }, announce);
        bool lead;
        lock (_gate)
        {
            _queue.Add(pending);
            lead = !_writing;
            _writing = true;
        }

        // The writing runs apart from any request: a caller that gives up does not cancel the others' commit.
        if (lead)
        {
            _ = Task.Run(DrainAsync, CancellationToken.None);
        }

        return pending.Stored.Task;
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            List<Pending> batch;
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    _writing = false;
                    return;
                }

                if (_queue.Count <= MaxBatch)
                {
                    batch = _queue;
                    _queue = [];
                }
                else
                {
                    batch = _queue[..MaxBatch];
                    _queue.RemoveRange(0, MaxBatch);
                }
            }

            await WriteAsync(batch);
        }
    }

    private async Task WriteAsync(List<Pending> batch)
    {
        try
        {
            var stored = await StoreAsync(batch);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Stored.TrySetResult(stored[i]);
            }
        }
        catch (Exception exception) when (batch.Count > 1 && exception is not DatabaseUnavailableException)
        {
            foreach (var one in batch)
            {
                await WriteAsync([one]);
            }
        }
        catch (Exception exception)
        {
            foreach (var one in batch)
            {
                one.Stored.TrySetException(exception);
            }
        }
    }

    private Task<IReadOnlyList<StoredVersion>> StoreAsync(List<Pending> batch)
    {
        Interlocked.Increment(ref _transactions);
        var announcements = new Dictionary<NewVersion, Pending>(ReferenceEqualityComparer.Instance);
        foreach (var pending in batch)
        {
            announcements[pending.Version] = pending;
        }

        // The batch's transaction is bounded by the database's own timeouts, not by any one request's token.
        return submissions.AddVersionsAsync(
            [.. batch.Select(pending => pending.Version)], Actor.System, (version, stored) => announcements[version].Announce(stored), CancellationToken.None);
    }

    private sealed record Pending(NewVersion Version, Func<StoredVersion, IReadOnlyCollection<OutboxEntry>> Announce)
    {
        public TaskCompletionSource<StoredVersion> Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

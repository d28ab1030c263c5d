using System.Collections.Concurrent;

namespace Aggregator.Messaging.Tests.Support;

/// <summary>What the test consumers saw: every delivery attempt per message key, and the ones that succeeded.</summary>
public sealed class DeliveryLog
{
    private readonly ConcurrentDictionary<Guid, int> attempts = new();
    private readonly ConcurrentQueue<Guid> consumed = new();
    private TaskCompletionSource changed = NewSignal();

    public int RecordAttempt(Guid key)
    {
        var count = attempts.AddOrUpdate(key, 1, (_, count) => count + 1);
        Signal();
        return count;
    }

    public void RecordConsumed(Guid key)
    {
        consumed.Enqueue(key);
        Signal();
    }

    public int AttemptsFor(Guid key) => attempts.GetValueOrDefault(key);

    public IReadOnlyList<Guid> Consumed => [.. consumed];

    public IReadOnlySet<Guid> DistinctConsumed => consumed.ToHashSet();

    /// <summary>
    /// Waits until <paramref name="condition"/> holds, re-checking it at each recorded attempt or consumption (no
    /// polling); throws, naming <paramref name="waitingFor"/> and what was seen, when the timeout passes first.
    /// </summary>
    public async Task WaitForAsync(Func<bool> condition, string waitingFor, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var expiry = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        expiry.CancelAfter(timeout);
        while (true)
        {
            var next = Volatile.Read(ref changed).Task;
            if (condition())
                return;
            try
            {
                await next.WaitAsync(expiry.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                if (condition())
                    return;
                throw new TimeoutException(
                    $"Gave up after {timeout.TotalSeconds:0.##} s waiting for {waitingFor}; seen {consumed.Count} consumed " +
                    $"({DistinctConsumed.Count} distinct) and {attempts.Values.Sum()} attempts.");
            }
        }
    }

    private void Signal() => Interlocked.Exchange(ref changed, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

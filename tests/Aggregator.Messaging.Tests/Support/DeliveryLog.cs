using System.Collections.Concurrent;

namespace Aggregator.Messaging.Tests.Support;

/// <summary>What the test consumers saw: every delivery attempt per message key, and the ones that succeeded.</summary>
public sealed class DeliveryLog
{
    private readonly ConcurrentDictionary<Guid, int> attempts = new();
    private readonly ConcurrentQueue<Guid> consumed = new();

    public int RecordAttempt(Guid key) => attempts.AddOrUpdate(key, 1, (_, count) => count + 1);

    public void RecordConsumed(Guid key) => consumed.Enqueue(key);

    public int AttemptsFor(Guid key) => attempts.GetValueOrDefault(key);

    public IReadOnlyList<Guid> Consumed => [.. consumed];

    public IReadOnlySet<Guid> DistinctConsumed => consumed.ToHashSet();

    /// <summary>Waits until <paramref name="condition"/> holds; returns whether it did before the timeout.</summary>
    public static Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitUntilAsync(() => Task.FromResult(condition()), timeout, cancellationToken);

    public static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                return false;
            await Task.Delay(25, cancellationToken);
        }

        return true;
    }
}

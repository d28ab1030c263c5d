using Aggregator.Storage.Outbox;

namespace Aggregator.Pipeline.Tests.Support;

/// <summary>Counts wake-ups, for use cases tested without a bus: the outbox rows themselves are checked in the database.</summary>
public sealed class CountingOutboxSignal : IOutboxSignal
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Notify() => Interlocked.Increment(ref _count);
}

using Aggregator.Storage.Outbox;

namespace Aggregator.Messaging.Outbox;

/// <summary>A latch: any number of notifications between two waits wake the sweeper once.</summary>
internal sealed class OutboxSignal : IOutboxSignal, IDisposable
{
    private readonly SemaphoreSlim latch = new(0, 1);

    public void Notify()
    {
        try
        {
            latch.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled; the pending pass will pick this row up too.
        }
    }

    /// <summary>Waits for a notification or the timeout; true when notified.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        latch.WaitAsync(timeout, cancellationToken);

    public void Dispose() => latch.Dispose();
}

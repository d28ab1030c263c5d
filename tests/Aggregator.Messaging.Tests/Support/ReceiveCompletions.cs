using System.Collections.Concurrent;
using MassTransit;

namespace Aggregator.Messaging.Tests.Support;

/// <summary>
/// A MassTransit receive observer: a delivery is complete once the whole receive pipe has run for it, retries and
/// the move to the error queue included, so a test can count attempts without waiting for retries that might follow.
/// </summary>
public sealed class ReceiveCompletions : IReceiveObserver
{
    private readonly ConcurrentQueue<Exception?> completed = new();
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Count => completed.Count;

    public static ReceiveCompletions ConnectTo(IBus bus)
    {
        var observer = new ReceiveCompletions();
        bus.ConnectReceiveObserver(observer);
        return observer;
    }

    public async Task WhenCountAsync(int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var expiry = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        expiry.CancelAfter(timeout);
        while (true)
        {
            var next = Volatile.Read(ref changed).Task;
            if (completed.Count >= count)
                return;
            try
            {
                await next.WaitAsync(expiry.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Gave up after {timeout.TotalSeconds:0.##} s waiting for {count} completed deliveries; saw {completed.Count}.");
            }
        }
    }

    public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostReceive(ReceiveContext context) => Complete(null);

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType)
        where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception)
        where T : class => Task.CompletedTask;

    public Task ReceiveFault(ReceiveContext context, Exception exception) => Complete(exception);

    private Task Complete(Exception? exception)
    {
        completed.Enqueue(exception);
        Interlocked.Exchange(ref changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        return Task.CompletedTask;
    }
}

using System.Collections.Concurrent;
using MassTransit;

namespace Aggregator.Pipeline.Tests.Support;

/// <summary>Tells a test when a host has finished consuming a message it published with a known message id.</summary>
public sealed class ConsumedMessages : IConsumeObserver
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _waiting = new();

    public Task WaitAsync(Guid messageId, TimeSpan timeout, CancellationToken ct) =>
        Completion(messageId).Task.WaitAsync(timeout, ct);

    public Task PreConsume<T>(ConsumeContext<T> context)
        where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context)
        where T : class
    {
        if (context.MessageId is { } id)
        {
            Completion(id).TrySetResult();
        }

        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
        where T : class
    {
        if (context.MessageId is { } id)
        {
            Completion(id).TrySetException(exception);
        }

        return Task.CompletedTask;
    }

    private TaskCompletionSource Completion(Guid id) =>
        _waiting.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}

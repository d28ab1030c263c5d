using System.Collections.Concurrent;
using Aggregator.Contracts;
using MassTransit;

namespace Aggregator.Pipeline.Tests.Support;

/// <summary>Counts the validation requests a bus consumed, and how many were for a version consumed before.</summary>
public sealed class SubmissionDeliveries : IConsumeObserver
{
    private readonly ConcurrentDictionary<(Guid, int), int> consumed = new();

    public int Duplicated => consumed.Values.Sum(count => count - 1);

    public Task PreConsume<T>(ConsumeContext<T> context)
        where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context)
        where T : class
    {
        if (context.Message is SubmissionReceived received)
            consumed.AddOrUpdate((received.SubmissionId, received.Version), 1, (_, count) => count + 1);
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;
}

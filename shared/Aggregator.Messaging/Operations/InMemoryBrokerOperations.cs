using Aggregator.Application.Operations;

namespace Aggregator.Messaging.Operations;

/// <summary>The embedded mode's bus lives in the process: it has no queues to list, peek or redrive.</summary>
internal sealed class InMemoryBrokerOperations : IBrokerOperations
{
    public string Transport => "inmemory";

    public bool HasQueues => false;

    public Task<IReadOnlyList<QueueStatus>> ListQueuesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<QueueStatus>>([]);

    public Task<IReadOnlyList<FailedMessage>?> PeekAsync(string errorQueue, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<FailedMessage>?>([]);

    public Task<RedriveOutcome> RedriveAsync(
        string errorQueue, string sourceQueue, RedriveSelection selection, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The in-memory bus has no error queues to redrive.");
}

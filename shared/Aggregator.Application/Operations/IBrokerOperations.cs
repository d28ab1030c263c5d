namespace Aggregator.Application.Operations;

/// <summary>
/// What ops can see of the message broker and do to it. Messaging implements it for RabbitMQ (management API and
/// AMQP) and for the in-memory bus of the embedded mode, which has no queues to show.
/// </summary>
public interface IBrokerOperations
{
    /// <summary><c>rabbitmq</c> or <c>inmemory</c>.</summary>
    string Transport { get; }

    /// <summary>False in the embedded mode: there is no broker whose queues could be listed or redriven.</summary>
    bool HasQueues { get; }

    Task<IReadOnlyList<QueueStatus>> ListQueuesAsync(CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> messages of <paramref name="errorQueue"/>, left in it; null when the queue does not exist.</summary>
    Task<IReadOnlyList<FailedMessage>?> PeekAsync(string errorQueue, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the selected messages of <paramref name="errorQueue"/> to <paramref name="sourceQueue"/>: each is
    /// published with a broker confirmation before it is acknowledged, so none is lost; the others stay.
    /// </summary>
    Task<RedriveOutcome> RedriveAsync(string errorQueue, string sourceQueue, RedriveSelection selection, CancellationToken cancellationToken);
}

/// <summary>A queue's depth, consumers and rates (messages per second, sampled by the broker).</summary>
public sealed record QueueStatus(
    string Name, long MessagesReady, long MessagesUnacknowledged, int Consumers, double PublishRate, double DeliverRate);

/// <summary>A message in an <c>_error</c> queue, with the fault that put it there and the record it concerns.</summary>
public sealed record FailedMessage(
    string? MessageId,
    IReadOnlyList<string> MessageTypes,
    string? ExceptionType,
    string? ExceptionMessage,
    DateTimeOffset? FaultedAt,
    Guid? SubmissionId,
    Guid? RollupId);

/// <summary>Which messages to redrive: every one, or those with these message ids.</summary>
public sealed record RedriveSelection(bool All, IReadOnlySet<string> MessageIds)
{
    public bool Includes(string? messageId) => All || (messageId is not null && MessageIds.Contains(messageId));
}

/// <param name="Moved">The message ids moved back, in the order they were moved.</param>
/// <param name="NotFound">Requested ids that were not in the error queue.</param>
public sealed record RedriveOutcome(string ErrorQueue, string SourceQueue, IReadOnlyList<string> Moved, IReadOnlyList<string> NotFound);

/// <summary>The broker or its management API could not be reached or refused the credentials.</summary>
public sealed class BrokerUnavailableException : Exception
{
    public BrokerUnavailableException()
    {
    }

    public BrokerUnavailableException(string message)
        : base(message)
    {
    }

    public BrokerUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

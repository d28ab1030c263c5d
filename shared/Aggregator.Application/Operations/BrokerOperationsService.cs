using Aggregator.Application.Results;

namespace Aggregator.Application.Operations;

/// <summary>The ops use cases: queue depths, the messages of an error queue and their redrive.</summary>
public sealed class BrokerOperationsService(IBrokerOperations broker)
{
    public const string ErrorSuffix = "_error";

    /// <summary>How many messages one look at an error queue returns at most.</summary>
    public const int MaxPeek = 500;

    public string Transport => broker.Transport;

    public async Task<Result<IReadOnlyList<QueueStatus>>> ListQueuesAsync(CancellationToken cancellationToken)
    {
        if (!broker.HasQueues)
            return Result<IReadOnlyList<QueueStatus>>.Success([]);
        try
        {
            var queues = await broker.ListQueuesAsync(cancellationToken);
            return Result<IReadOnlyList<QueueStatus>>.Success([.. queues.OrderBy(queue => queue.Name, StringComparer.Ordinal)]);
        }
        catch (BrokerUnavailableException exception)
        {
            return Unavailable(exception);
        }
    }

    /// <summary>The error queues of every consumer queue, with how many messages wait in each.</summary>
    public async Task<Result<IReadOnlyList<QueueStatus>>> ListErrorQueuesAsync(CancellationToken cancellationToken)
    {
        var queues = await ListQueuesAsync(cancellationToken);
        return queues.IsSuccess
            ? Result<IReadOnlyList<QueueStatus>>.Success([.. queues.Value.Where(queue => queue.Name.EndsWith(ErrorSuffix, StringComparison.Ordinal))])
            : queues;
    }

    /// <param name="queue">The consumer queue or its <c>_error</c> queue.</param>
    public async Task<Result<IReadOnlyList<FailedMessage>>> PeekErrorsAsync(string queue, int? max, CancellationToken cancellationToken)
    {
        if (Names(queue) is not var (errorQueue, _))
            return InvalidQueue(queue);
        var limit = max ?? 100;
        if (limit is < 1 or > MaxPeek)
            return Problem.InvalidRequest($"max 须在 1 到 {MaxPeek} 之间。", new FieldError("max", $"须在 1 到 {MaxPeek} 之间。"));
        if (!broker.HasQueues)
            return Result<IReadOnlyList<FailedMessage>>.Success([]);

        try
        {
            var messages = await broker.PeekAsync(errorQueue, limit, cancellationToken);
            return messages is null ? Problem.NotFound($"队列 {errorQueue}") : Result<IReadOnlyList<FailedMessage>>.Success(messages);
        }
        catch (BrokerUnavailableException exception)
        {
            return Unavailable(exception);
        }
    }

    public async Task<Result<RedriveOutcome>> RedriveAsync(string queue, bool all, IReadOnlyList<string>? ids, CancellationToken cancellationToken)
    {
        if (Names(queue) is not var (errorQueue, sourceQueue))
            return InvalidQueue(queue);
        var selected = (ids ?? []).Where(id => !string.IsNullOrWhiteSpace(id)).ToHashSet(StringComparer.Ordinal);
        if (all == selected.Count > 0)
        {
            return Problem.InvalidRequest(
                "须给出 ids（要重新投递的消息 ID）或 all: true，二者选一。", new FieldError("ids", "须给出消息 ID，或改用 all: true。"));
        }

        if (!broker.HasQueues)
        {
            return Problem.Of(
                ProblemCodes.RedriveUnavailable, "无可重新投递的队列",
                "嵌入模式使用进程内消息总线，没有错误队列；失败的消息只记录在日志中。");
        }

        try
        {
            if (await broker.PeekAsync(errorQueue, 1, cancellationToken) is null)
                return Problem.NotFound($"队列 {errorQueue}");
            return await broker.RedriveAsync(errorQueue, sourceQueue, new RedriveSelection(all, selected), cancellationToken);
        }
        catch (BrokerUnavailableException exception)
        {
            return Unavailable(exception);
        }
    }

    private static (string ErrorQueue, string SourceQueue)? Names(string queue)
    {
        if (string.IsNullOrWhiteSpace(queue) || queue.Length > 255 || queue.Any(char.IsControl))
            return null;
        if (queue.EndsWith(ErrorSuffix, StringComparison.Ordinal))
            return queue.Length == ErrorSuffix.Length ? null : (queue, queue[..^ErrorSuffix.Length]);
        return (queue + ErrorSuffix, queue);
    }

    private static Problem Unavailable(BrokerUnavailableException exception) =>
        Problem.Of(ProblemCodes.BrokerUnavailable, "消息服务暂不可用", $"无法访问消息服务，请稍后再试。（{exception.Message}）");

    private static Problem InvalidQueue(string queue) =>
        Problem.InvalidRequest($"队列名 {queue} 无效。", new FieldError("queue", "须为消费队列名或其 _error 队列名。"));
}

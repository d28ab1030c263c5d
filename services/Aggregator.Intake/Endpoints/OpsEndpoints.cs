using Aggregator.Application.Operations;
using Aggregator.Intake.Authentication;
using Aggregator.Intake.Json;
using Aggregator.Intake.Problems;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Aggregator.Intake.Endpoints;

/// <summary>
/// <c>GET /ops/queues</c>, <c>GET /ops/errors/{queue}</c>, <c>POST /ops/errors/{queue}/redrive</c>: what ops see of
/// the broker and how they send failed messages back once their cause is fixed.
/// </summary>
internal static class OpsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var ops = api.MapGroup("/ops").WithTags("运维").RequireAuthorization(IntakePolicies.AdminOrOps);

        ops.MapGet("/queues", QueuesAsync)
            .WithName("ListQueues")
            .WithSummary("消息队列：待处理与处理中的消息数、消费者数、发布与投递速率（嵌入模式下为空）")
            .Produces<QueuesResponse>()
            .ProducesApiProblems(503);

        ops.MapGet("/errors", ErrorQueuesAsync)
            .WithName("ListErrorQueues")
            .WithSummary("错误队列（_error）及其中的消息数")
            .Produces<QueuesResponse>()
            .ProducesApiProblems(503);

        ops.MapGet("/errors/{queue}", ErrorsAsync)
            .WithName("ListFailedMessages")
            .WithSummary("错误队列中的消息：异常类型与信息、消息 ID、涉及的报送或汇总（只查看，不取走）")
            .Produces<FailedMessagesResponse>()
            .ProducesApiProblems(400, 404, 503);

        ops.MapPost("/errors/{queue}/redrive", RedriveAsync)
            .WithName("RedriveFailedMessages")
            .WithSummary("把错误队列中的消息（ids 指定，或 all: true 全部）移回原队列，每条只移一次")
            .Accepts<RedriveRequest>("application/json")
            .Produces<RedriveResponse>()
            .ProducesApiProblems(400, 404, 409, 503);
    }

    private static async Task<IResult> QueuesAsync(BrokerOperationsService operations, CancellationToken cancellationToken)
    {
        var result = await operations.ListQueuesAsync(cancellationToken);
        return result.IsSuccess
            ? TypedResults.Ok(new QueuesResponse(operations.Transport, [.. result.Value.Select(QueueResponse.From)]))
            : result.Problem.ToResult();
    }

    private static async Task<IResult> ErrorQueuesAsync(BrokerOperationsService operations, CancellationToken cancellationToken)
    {
        var result = await operations.ListErrorQueuesAsync(cancellationToken);
        return result.IsSuccess
            ? TypedResults.Ok(new QueuesResponse(operations.Transport, [.. result.Value.Select(QueueResponse.From)]))
            : result.Problem.ToResult();
    }

    private static async Task<IResult> ErrorsAsync(string queue, int? max, BrokerOperationsService operations, CancellationToken cancellationToken)
    {
        var result = await operations.PeekErrorsAsync(queue, max, cancellationToken);
        return result.IsSuccess
            ? TypedResults.Ok(new FailedMessagesResponse(operations.Transport, ErrorQueueName(queue), [.. result.Value.Select(FailedMessageResponse.From)]))
            : result.Problem.ToResult();
    }

    private static async Task<IResult> RedriveAsync(
        string queue, HttpContext context, JsonRequestReader reader, BrokerOperationsService operations)
    {
        var read = await reader.ReadAsync<RedriveRequest>(context);
        if (read.Problem is not null)
            return new ProblemResult(read.Problem);

        var request = read.Value!;
        var result = await operations.RedriveAsync(queue, request.All ?? false, request.Ids, context.RequestAborted);
        return result.IsSuccess
            ? TypedResults.Ok(new RedriveResponse(result.Value.ErrorQueue, result.Value.SourceQueue, result.Value.Moved.Count, result.Value.Moved, result.Value.NotFound))
            : result.Problem.ToResult();
    }

    private static string ErrorQueueName(string queue) =>
        queue.EndsWith(BrokerOperationsService.ErrorSuffix, StringComparison.Ordinal) ? queue : queue + BrokerOperationsService.ErrorSuffix;
}

/// <param name="Transport"><c>rabbitmq</c>, or <c>inmemory</c> in the embedded mode, which has no queues.</param>
public sealed record QueuesResponse(string Transport, IReadOnlyList<QueueResponse> Queues);

public sealed record QueueResponse(
    string Name, long MessagesReady, long MessagesUnacknowledged, int Consumers, double PublishRate, double DeliverRate)
{
    public static QueueResponse From(QueueStatus queue) => new(
        queue.Name, queue.MessagesReady, queue.MessagesUnacknowledged, queue.Consumers, queue.PublishRate, queue.DeliverRate);
}

public sealed record FailedMessagesResponse(string Transport, string Queue, IReadOnlyList<FailedMessageResponse> Messages);

/// <param name="ExceptionType">The <c>MT-Fault-ExceptionType</c> header.</param>
/// <param name="ExceptionMessage">The <c>MT-Fault-Message</c> header.</param>
public sealed record FailedMessageResponse(
    string? MessageId, IReadOnlyList<string> MessageTypes, string? ExceptionType, string? ExceptionMessage, DateTimeOffset? FaultedAt,
    Guid? SubmissionId, Guid? RollupId)
{
    public static FailedMessageResponse From(FailedMessage message) => new(
        message.MessageId, message.MessageTypes, message.ExceptionType, message.ExceptionMessage, message.FaultedAt,
        message.SubmissionId, message.RollupId);
}

/// <summary>Either <c>ids</c> (message ids from <c>GET /ops/errors/{queue}</c>) or <c>all: true</c>.</summary>
public sealed record RedriveRequest
{
    public IReadOnlyList<string>? Ids { get; init; }

    public bool? All { get; init; }
}

public sealed record RedriveResponse(string ErrorQueue, string SourceQueue, int MovedCount, IReadOnlyList<string> Moved, IReadOnlyList<string> NotFound);

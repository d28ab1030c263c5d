using Aggregator.Contracts;
using Aggregator.Messaging.Faults;
using MassTransit;

namespace Aggregator.Messaging.Tests.Support;

public sealed class RecordSubmissionConsumer(DeliveryLog log) : IConsumer<SubmissionReceived>
{
    public Task Consume(ConsumeContext<SubmissionReceived> context)
    {
        log.RecordAttempt(context.Message.SubmissionId);
        log.RecordConsumed(context.Message.SubmissionId);
        return Task.CompletedTask;
    }
}

public sealed class RecordSubmissionConsumerDefinition : ConsumerDefinition<RecordSubmissionConsumer>
{
    public RecordSubmissionConsumerDefinition() => ConcurrentMessageLimit = 16;
}

/// <summary>Fails the first two attempts of every message with a timeout, as a briefly unavailable database would.</summary>
public sealed class FlakySubmissionConsumer(DeliveryLog log) : IConsumer<SubmissionReceived>
{
    public const int FailingAttempts = 2;

    public Task Consume(ConsumeContext<SubmissionReceived> context)
    {
        if (log.RecordAttempt(context.Message.SubmissionId) <= FailingAttempts)
            throw new TimeoutException("The database did not answer in time.");
        log.RecordConsumed(context.Message.SubmissionId);
        return Task.CompletedTask;
    }
}

public sealed class AlwaysTimingOutConsumer(DeliveryLog log) : IConsumer<SubmissionReceived>
{
    public Task Consume(ConsumeContext<SubmissionReceived> context)
    {
        log.RecordAttempt(context.Message.SubmissionId);
        throw new TimeoutException("The database did not answer in time.");
    }
}

/// <summary>Throws the exception whose type name the message's unit code carries, to test each permanent type.</summary>
public sealed class RejectingConsumer(DeliveryLog log) : IConsumer<SubmissionReceived>
{
    public Task Consume(ConsumeContext<SubmissionReceived> context)
    {
        log.RecordAttempt(context.Message.SubmissionId);
        throw context.Message.UnitCode switch
        {
            nameof(ArgumentException) => new ArgumentException("单位代码无效", "unitCode"),
            nameof(System.ComponentModel.DataAnnotations.ValidationException) =>
                new System.ComponentModel.DataAnnotations.ValidationException("表二合计与分项之和不符"),
            _ => new PermanentFailureException("The submission version does not exist."),
        };
    }
}

public static class Submissions
{
    public static SubmissionReceived New(string unitCode = "001") => new()
    {
        SubmissionId = Guid.NewGuid(),
        Version = 1,
        PeriodId = Guid.NewGuid(),
        UnitCode = unitCode,
    };
}

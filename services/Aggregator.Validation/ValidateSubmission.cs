using Aggregator.Application.Validation;
using Aggregator.Contracts;
using Aggregator.Messaging.Faults;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Aggregator.Validation;

/// <summary>
/// Checks received submission versions against their forms' rules and stores the outcomes, a batch of messages at a
/// time: one transaction (one commit) for the whole batch.
/// </summary>
public sealed class ValidateSubmission(SubmissionValidation validation, ILogger<ValidateSubmission> logger) : IConsumer<Batch<SubmissionReceived>>
{
    public async Task Consume(ConsumeContext<Batch<SubmissionReceived>> context)
    {
        var batch = context.Message;
        var runs = await validation.ValidateManyAsync([.. batch.Select(m => (m.Message.SubmissionId, m.Message.Version))], context.CancellationToken);

        var missing = new List<SubmissionReceived>();
        for (var i = 0; i < batch.Length; i++)
        {
            var message = batch[i].Message;
            if (runs[i].Status == ValidationRunStatus.NotFound)
            {
                missing.Add(message);
                continue;
            }

            logger.LogInformation("Submission {SubmissionId} v{Version} of {UnitCode}: {Outcome} ({Status})",
                message.SubmissionId, message.Version, message.UnitCode, runs[i].Outcome, runs[i].Status);
        }

        if (missing.Count == 0)
        {
            return;
        }

        // A fault of the batch faults every message in it except those marked consumed: the others' outcomes are
        // stored, so only the messages naming no version go to the _error queue (each with this exception).
        for (var i = 0; i < batch.Length; i++)
        {
            if (runs[i].Status != ValidationRunStatus.NotFound)
            {
                await batch[i].NotifyConsumed(batch[i].ReceiveContext.ElapsedTime, TypeCache<ValidateSubmission>.ShortName);
            }
        }

        throw new PermanentFailureException(string.Join(" ", missing.Select(m => $"Submission {m.SubmissionId} has no version {m.Version}.")));
    }
}

public sealed class ValidateSubmissionDefinition : ConsumerDefinition<ValidateSubmission>
{
    /// <summary>The most messages one batch (one transaction) validates.</summary>
    public const int MessageLimit = 100;

    /// <summary>How long a batch waits for more messages after its first: a lone submission is not held back longer.</summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromMilliseconds(20);

    /// <summary>Batches validated at once: one reads and checks while another commits.</summary>
    public static int ConcurrencyLimit => Math.Max(2, Environment.ProcessorCount);

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<ValidateSubmission> consumerConfigurator, IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        ArgumentNullException.ThrowIfNull(consumerConfigurator);

        // The batch options also raise the endpoint's prefetch count and concurrent message limit to at least
        // MessageLimit × ConcurrencyLimit, so batches can fill.
        consumerConfigurator.Options<BatchOptions>(options => options
            .SetMessageLimit(MessageLimit)
            .SetTimeLimit(TimeLimit)
            .SetConcurrencyLimit(ConcurrencyLimit));
    }
}

using System.Runtime.ExceptionServices;
using Aggregator.Application.Validation;
using Aggregator.Contracts;
using Aggregator.Messaging.Faults;
using Aggregator.Storage.Connections;
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
        var versions = batch.Select(m => (m.Message.SubmissionId, m.Message.Version)).ToList();
        var failures = new Exception?[batch.Length];
        IReadOnlyList<ValidationRun?> runs;
        try
        {
            runs = await validation.ValidateManyAsync(versions, context.CancellationToken);
        }
        catch (Exception exception) when (batch.Length > 1 && !TransientDatabaseErrors.IsUnavailable(exception) && !context.CancellationToken.IsCancellationRequested)
        {
            // The database refused a statement, not the connection: that is likely one version's doing, and it would
            // fail every batch it is in. Alone, each of the others is stored; a database that is down fails them all.
            logger.LogWarning(exception, "A batch of {Count} validations failed; validating them one at a time", batch.Length);
            runs = await OneAtATimeAsync(versions, failures, context.CancellationToken);
        }

        for (var i = 0; i < batch.Length; i++)
        {
            var message = batch[i].Message;
            if (runs[i] is not { } run)
            {
                continue;
            }

            if (run.Status == ValidationRunStatus.NotFound)
            {
                failures[i] = new PermanentFailureException($"Submission {message.SubmissionId} has no version {message.Version}.");
                continue;
            }

            logger.LogInformation("Submission {SubmissionId} v{Version} of {UnitCode}: {Outcome} ({Status})",
                message.SubmissionId, message.Version, message.UnitCode, run.Outcome, run.Status);
        }

        if (failures.All(failure => failure is null))
        {
            return;
        }

        // MassTransit faults every message of a failed batch except those marked consumed: the outcomes of these are
        // stored, so only the failed messages are retried and, in the end, land in the _error queue.
        for (var i = 0; i < batch.Length; i++)
        {
            if (failures[i] is null)
            {
                await batch[i].NotifyConsumed(batch[i].ReceiveContext.ElapsedTime, TypeCache<ValidateSubmission>.ShortName);
            }
        }

        // A fault worth retrying decides for the rest, so the retries happen; versions that do not exist never heal.
        var missing = failures.OfType<PermanentFailureException>().ToList();
        if (failures.FirstOrDefault(failure => failure is not null and not PermanentFailureException) is { } retryable)
        {
            ExceptionDispatchInfo.Throw(retryable);
        }

        throw missing.Count == 1 ? missing[0] : new PermanentFailureException(string.Join(" ", missing.Select(m => m.Message)));
    }

    private async Task<IReadOnlyList<ValidationRun?>> OneAtATimeAsync(
        IReadOnlyList<(Guid SubmissionId, int Version)> versions, Exception?[] failures, CancellationToken cancellationToken)
    {
        var runs = new ValidationRun?[versions.Count];
        for (var i = 0; i < versions.Count; i++)
        {
            try
            {
                runs[i] = await validation.ValidateAsync(versions[i].SubmissionId, versions[i].Version, cancellationToken);
            }
            catch (Exception exception) when (!TransientDatabaseErrors.IsUnavailable(exception) && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Submission {SubmissionId} v{Version} could not be validated", versions[i].SubmissionId, versions[i].Version);
                failures[i] = exception;
            }
        }

        return runs;
    }
}

public sealed class ValidateSubmissionDefinition : ConsumerDefinition<ValidateSubmission>
{
    /// <summary>The most messages one batch (one transaction) validates.</summary>
    public const int MessageLimit = 100;

    /// <summary>How long a batch waits for more messages after its first: a lone submission is not held back longer.</summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Batches validated at once: one reads and checks while another commits. Few, since each holds up to
    /// <see cref="MessageLimit"/> prefetched messages that competing workers cannot take.
    /// </summary>
    public static int ConcurrencyLimit => Math.Clamp(Environment.ProcessorCount, 2, 4);

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<ValidateSubmission> consumerConfigurator, IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        ArgumentNullException.ThrowIfNull(consumerConfigurator);

        // The batch options also raise the endpoint's prefetch count and concurrent message limit to at least
        // MessageLimit × ConcurrencyLimit, so batches can fill. The endpoint's retry policy applies to a batch as a
        // whole: a failed batch is tried again, all of it, in one transaction each time.
        consumerConfigurator.Options<BatchOptions>(options => options
            .SetMessageLimit(MessageLimit)
            .SetTimeLimit(TimeLimit)
            .SetConcurrencyLimit(ConcurrencyLimit));
    }
}

using Aggregator.Application.Validation;
using Aggregator.Contracts;
using Aggregator.Messaging.Faults;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Aggregator.Validation;

/// <summary>Checks a received submission version against its form's rules and stores the outcome.</summary>
public sealed class ValidateSubmission(SubmissionValidation validation, ILogger<ValidateSubmission> logger) : IConsumer<SubmissionReceived>
{
    public async Task Consume(ConsumeContext<SubmissionReceived> context)
    {
        var message = context.Message;
        var run = await validation.ValidateAsync(message.SubmissionId, message.Version, context.CancellationToken);
        if (run.Status == ValidationRunStatus.NotFound)
        {
            throw new PermanentFailureException($"Submission {message.SubmissionId} has no version {message.Version}.");
        }

        logger.LogInformation("Submission {SubmissionId} v{Version} of {UnitCode}: {Outcome} ({Status})",
            message.SubmissionId, message.Version, message.UnitCode, run.Outcome, run.Status);
    }
}

public sealed class ValidateSubmissionDefinition : ConsumerDefinition<ValidateSubmission>
{
    // Validation is CPU work of microseconds between two short database calls: a few at once keep both busy.
    public ValidateSubmissionDefinition() => ConcurrentMessageLimit = Math.Max(4, Environment.ProcessorCount * 4);
}

using Microsoft.Extensions.Options;

namespace Aggregator.Messaging;

/// <summary>Refuses a <c>Messaging</c> section the bus could not run with, naming the setting at fault.</summary>
public sealed class MessagingOptionsValidator : IValidateOptions<MessagingOptions>
{
    public ValidateOptionsResult Validate(string? name, MessagingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Transport))
            failures.Add("Messaging:Transport must be one of inmemory, rabbitmq.");
        if (options.Transport == MessagingTransport.RabbitMq)
        {
            if (options.RabbitMq.Uri is not { IsAbsoluteUri: true } uri)
                failures.Add("Messaging:RabbitMq:Uri is required when Messaging:Transport is rabbitmq.");
            else if (uri.Scheme is not ("amqp" or "amqps"))
                failures.Add("Messaging:RabbitMq:Uri must be an amqp:// or amqps:// address.");
        }

        if (string.IsNullOrWhiteSpace(options.EndpointPrefix))
            failures.Add("Messaging:EndpointPrefix must not be empty.");
        if (options.PrefetchCount < 1)
            failures.Add("Messaging:PrefetchCount must be at least 1.");
        if (options.ConcurrentMessageLimit is < 1)
            failures.Add("Messaging:ConcurrentMessageLimit must be at least 1 when set.");
        if (options.StartTimeout <= TimeSpan.Zero)
            failures.Add("Messaging:StartTimeout must be positive.");
        if (options.StopTimeout < TimeSpan.Zero)
            failures.Add("Messaging:StopTimeout must not be negative.");
        if (options.RabbitMq.ConnectAttempts < 1)
            failures.Add("Messaging:RabbitMq:ConnectAttempts must be at least 1.");
        if (options.RabbitMq.ConnectRetryDelay < TimeSpan.Zero)
            failures.Add("Messaging:RabbitMq:ConnectRetryDelay must not be negative.");
        if (options.RabbitMq.ConnectTimeout <= TimeSpan.Zero)
            failures.Add("Messaging:RabbitMq:ConnectTimeout must be positive.");
        if (options.RabbitMq.ReconnectMaxDelay <= TimeSpan.Zero || options.RabbitMq.ReconnectMaxDelay > TimeSpan.FromMinutes(5))
            failures.Add("Messaging:RabbitMq:ReconnectMaxDelay must be positive and at most 5 minutes.");
        if (options.Retry.Intervals.Any(interval => interval < TimeSpan.Zero))
            failures.Add("Messaging:Retry:Intervals must not be negative.");
        if (options.Redelivery.Intervals.Any(interval => interval <= TimeSpan.Zero))
            failures.Add("Messaging:Redelivery:Intervals must be positive.");
        if (options.Outbox.SweepInterval <= TimeSpan.Zero)
            failures.Add("Messaging:Outbox:SweepInterval must be positive.");
        if (options.Outbox.SweepMinimumAge < TimeSpan.Zero)
            failures.Add("Messaging:Outbox:SweepMinimumAge must not be negative.");
        if (options.Outbox.BatchSize < 1)
            failures.Add("Messaging:Outbox:BatchSize must be at least 1.");
        if (options.Outbox.PublishTimeout <= TimeSpan.Zero)
            failures.Add("Messaging:Outbox:PublishTimeout must be positive.");
        // A lease shorter than a publish would let another relay take a row still being published.
        if (options.Outbox.ClaimLease <= options.Outbox.PublishTimeout)
            failures.Add("Messaging:Outbox:ClaimLease must be longer than Messaging:Outbox:PublishTimeout.");
        if (options.Outbox.MaxAttempts < 1)
            failures.Add("Messaging:Outbox:MaxAttempts must be at least 1.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

using Aggregator.Redaction;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using RabbitMQ.Client;

namespace Aggregator.Messaging.RabbitMq;

/// <summary>
/// Opens one connection to the broker, with retries, before the bus starts. MassTransit would otherwise retry
/// silently until its start timeout and then fail with a message that does not say which broker was unreachable.
/// </summary>
internal sealed class RabbitMqStartupProbe(RabbitMqBrokerAddress address, RabbitMqOptions options, ILogger<RabbitMqStartupProbe> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var attempts = Math.Max(1, options.ConnectAttempts);
        var pipeline = BuildRetryPipeline(attempts);

        try
        {
            await pipeline.ExecuteAsync(ConnectOnceAsync, cancellationToken);
            logger.LogInformation("RabbitMQ broker at {Broker} is reachable", address);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new BrokerConnectionException(
                $"Cannot connect to the RabbitMQ broker at {address} after {attempts} attempt(s): {SecretRedactor.Redact(Describe(exception))}",
                exception);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private ResiliencePipeline BuildRetryPipeline(int attempts)
    {
        var builder = new ResiliencePipelineBuilder();
        if (attempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = attempts - 1,
                Delay = options.ConnectRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                // A timed-out attempt is worth retrying; the host shutting down is not.
                ShouldHandle = retry => ValueTask.FromResult(
                    retry.Outcome.Exception is not null && !retry.Context.CancellationToken.IsCancellationRequested),
                OnRetry = retry =>
                {
                    logger.LogWarning(
                        "RabbitMQ broker at {Broker} is not reachable (attempt {Attempt} of {Attempts}): {Reason}; retrying in {Delay}",
                        address, retry.AttemptNumber + 1, attempts, SecretRedactor.Redact(retry.Outcome.Exception?.Message), retry.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.Build();
    }

    private ValueTask ConnectOnceAsync(CancellationToken cancellationToken) =>
        new(RabbitMqHandshake.OpenAndCloseAsync(address, options, "aggregator-startup-probe", cancellationToken));

    // RabbitMQ.Client wraps the reason (refused, access refused, unknown vhost) one or two levels down.
    internal static string Describe(Exception exception)
    {
        var reasons = new List<string>();
        for (var current = exception; current is not null && reasons.Count < 3; current = current.InnerException)
            reasons.Add(current.Message);
        return string.Join(" → ", reasons.Distinct(StringComparer.Ordinal));
    }
}

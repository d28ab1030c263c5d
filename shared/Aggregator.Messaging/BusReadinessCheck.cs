using Aggregator.Messaging.RabbitMq;
using Aggregator.Redaction;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aggregator.Messaging;

/// <summary>
/// Ready when the broker accepts a connection from this process and no receive endpoint is left faulted: a process
/// that only publishes has no endpoint that would notice the broker is gone.
/// </summary>
internal sealed class BusReadinessCheck(RabbitMqBrokerAddress? broker, RabbitMqOptions options, ReceiveEndpointStates endpoints) : IHealthCheck
{
    public const string Name = "bus";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (broker is not null)
        {
            try
            {
                await RabbitMqHandshake.OpenAndCloseAsync(broker, options, "aggregator-readiness-probe", cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                return new HealthCheckResult(
                    context.Registration.FailureStatus,
                    $"The broker at {broker} does not answer: {SecretRedactor.Redact(RabbitMqStartupProbe.Describe(exception))}");
            }
        }

        var faulted = endpoints.FaultedEndpoints;
        if (faulted.Count > 0)
        {
            return new HealthCheckResult(
                context.Registration.FailureStatus,
                "Not consuming: " + string.Join("; ", faulted.Select(pair => $"{pair.Key.AbsolutePath.Trim('/')} ({SecretRedactor.Redact(pair.Value)})")));
        }

        return HealthCheckResult.Healthy(broker is null ? "In-memory bus." : $"The broker at {broker} answers and every endpoint consumes.");
    }
}

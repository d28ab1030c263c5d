using Aggregator.Redaction;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aggregator.ServiceDefaults;

/// <summary>Ready when the storage layer's probe (typically opening a connection and running a trivial query) succeeds.</summary>
internal sealed class DatabaseReadinessCheck(IServiceProvider services, Func<IServiceProvider, CancellationToken, Task> probe) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await probe(services, cancellationToken);
            return HealthCheckResult.Healthy("The database answers.");
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Driver messages can quote the connection string; the exception itself is not handed on for that reason.
            return new HealthCheckResult(
                context.Registration.FailureStatus,
                $"The database does not answer: {SecretRedactor.Redact(exception.Message)}");
        }
    }
}

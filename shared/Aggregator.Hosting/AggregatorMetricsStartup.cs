using Aggregator.Application.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aggregator.Hosting;

/// <summary>
/// Creates the <c>Aggregator</c> meter's instruments at start-up rather than with the first use case that needs
/// them, so that the gauges and the zero-valued series are there from the first scrape.
/// </summary>
/// <remarks>
/// A hosted service, because the telemetry's own hosted service (registered before) must have started listening:
/// measurements made before that are lost.
/// </remarks>
internal sealed class AggregatorMetricsStartup(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<OutboxBacklogGauges>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

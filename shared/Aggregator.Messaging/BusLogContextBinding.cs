using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aggregator.Messaging;

/// <summary>
/// Points MassTransit's ambient log context at this host's logger factory before the bus is created.
/// </summary>
/// <remarks>
/// MassTransit keeps the log context in an <see cref="AsyncLocal{T}"/> and only fills it when it is empty; a
/// publish leaves the publishing bus's context in the caller's flow, so a second host built in that flow (tests,
/// a CLI that starts a host twice) would log through the first host's disposed factory and fail to start. Hosted
/// services are constructed in registration order, synchronously, just before MassTransit's creates the bus,
/// which is why this runs in the constructor.
/// </remarks>
internal sealed class BusLogContextBinding : IHostedService
{
    public BusLogContextBinding(ILoggerFactory loggerFactory) => LogContext.ConfigureCurrentLogContext(loggerFactory);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

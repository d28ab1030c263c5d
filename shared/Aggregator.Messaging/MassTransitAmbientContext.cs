using MassTransit;
using MassTransit.Logging;
using MassTransit.Monitoring;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aggregator.Messaging;

/// <summary>
/// Sets MassTransit's process-wide log context and meter before the bus is created, so that a process that builds
/// more than one host (tests, a CLI command that starts a host twice) logs and measures every bus correctly.
/// </summary>
/// <remarks>
/// MassTransit keeps both in statics and fills them only when empty. Its log context is an <see cref="AsyncLocal{T}"/>
/// that a publish leaves in the caller's flow, so a second host built there would log through the first host's
/// disposed factory and fail to start. Its meter would come from the first host's <c>IMeterFactory</c> and die
/// with it, leaving later hosts without bus metrics. Hosted services are constructed in registration order,
/// synchronously, just before MassTransit's creates the bus, which is why this work happens in the constructor.
/// </remarks>
internal sealed class MassTransitAmbientContext : IHostedService
{
    public MassTransitAmbientContext(ILoggerFactory loggerFactory, IOptions<InstrumentationOptions> instrumentation)
    {
        LogContextInstrumentationExtensions.TryConfigure(instrumentation.Value);
        LogContext.ConfigureCurrentLogContext(loggerFactory);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using Aggregator.Redaction;
using Aggregator.Storage.Outbox;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aggregator.Messaging.Outbox;

/// <summary>
/// Runs the relay whenever a writer signals and, regardless, every <c>Messaging:Outbox:SweepInterval</c>, so rows
/// left behind by a crash between commit and publish, or by a broker outage, are published later.
/// </summary>
public sealed class OutboxSweeper(
    OutboxRelay relay,
    IOutboxSignal signal,
    IOptions<MessagingOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<OutboxSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first pass must not run before the bus has started, which the host reports once every hosted service has.
        if (!await HostStartedAsync(stoppingToken))
            return;

        var settings = options.Value.Outbox;
        var signalled = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await relay.PublishPendingAsync(signalled ? TimeSpan.Zero : settings.SweepMinimumAge, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogError("Outbox relay pass failed: {Reason}", SecretRedactor.Redact(exception.ToString()));
            }

            try
            {
                signalled = await WaitForSignalAsync(settings.SweepInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private Task<bool> WaitForSignalAsync(TimeSpan interval, CancellationToken stoppingToken) =>
        signal is OutboxSignal latch
            ? latch.WaitAsync(interval, stoppingToken)
            : Task.Delay(interval, stoppingToken).ContinueWith(_ => false, TaskScheduler.Default);

    private async Task<bool> HostStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var onStarted = lifetime.ApplicationStarted.Register(started.SetResult);
        await using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        try
        {
            await started.Task;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aggregator.Storage.Maintenance;

/// <summary>
/// Runs <see cref="DatabaseCleanup"/> every <c>Database:Cleanup:Interval</c>. Every process may run it: the deletes
/// are idempotent, so two processes cleaning at once only repeat each other's work.
/// </summary>
public sealed partial class DatabaseCleanupService(
    DatabaseCleanup cleanup, IOptions<DatabaseCleanupOptions> options, TimeProvider clock, ILogger<DatabaseCleanupService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
            return;

        using var timer = new PeriodicTimer(settings.Interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var result = await cleanup.RunOnceAsync(stoppingToken);
                    LogCleaned(logger, result.PublishedOutboxRows, result.IdempotencyKeys);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // The next pass retries; a database outage must not stop the host.
                    LogFailed(logger, exception.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(LogLevel.Information, "Database cleanup removed {OutboxRows} published outbox row(s) and {IdempotencyKeys} expired idempotency key(s)")]
    private static partial void LogCleaned(ILogger logger, int outboxRows, int idempotencyKeys);

    [LoggerMessage(LogLevel.Warning, "Database cleanup failed; it runs again at the next interval: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}

using Aggregator.Application.Reconciliation;
using Aggregator.Application.Telemetry;
using Aggregator.Redaction;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aggregator.Hosting;

/// <summary>Runs <see cref="StalledWorkReconciler"/> every <c>Reconciler:Interval</c> and counts what it announced again.</summary>
public sealed class ReconcilerService : BackgroundService
{
    private readonly StalledWorkReconciler _reconciler;
    private readonly IOptions<ReconcilerOptions> _options;
    private readonly ILogger<ReconcilerService> _logger;
    private static readonly string[] Messages = ["submission_received", "rollup_requested", "rollup_completed"];

    private readonly AggregatorMetrics _metrics;

    public ReconcilerService(StalledWorkReconciler reconciler, IOptions<ReconcilerOptions> options, AggregatorMetrics metrics, ILogger<ReconcilerService> logger)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _reconciler = reconciler;
        _options = options;
        _logger = logger;
        _metrics = metrics;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Only processes that reconcile have these series, each from zero. Not in the constructor: hosted services are
        // all built before the telemetry starts listening, and a measurement made before that is lost.
        foreach (var message in Messages)
            _metrics.Reannounced(message, 0);

        var settings = _options.Value;
        using var timer = new PeriodicTimer(settings.Interval);
        do
        {
            try
            {
                var pass = await _reconciler.RunAsync(settings.StalledAfter, settings.BatchSize, stoppingToken);
                Count(pass.Validations, Messages[0]);
                Count(pass.Builds, Messages[1]);
                Count(pass.Renders, Messages[2]);
                if (pass.Total > 0)
                {
                    _logger.LogWarning(
                        "Reconciler announced again {Validations} validations, {Builds} rollup builds and {Renders} report renderings that waited over {StalledAfter}",
                        pass.Validations, pass.Builds, pass.Renders, settings.StalledAfter);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // The database may be down: the next pass tries again, which is the point of a reconciler.
                _logger.LogError("Reconciler pass failed: {Reason}", SecretRedactor.Redact(exception.Message));
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Count(int count, string message)
    {
        if (count > 0)
            _metrics.Reannounced(message, count);
    }
}

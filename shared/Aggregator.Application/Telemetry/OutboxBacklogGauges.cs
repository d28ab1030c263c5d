using System.Diagnostics.Metrics;
using Aggregator.Redaction;
using Aggregator.Storage.Outbox;
using Microsoft.Extensions.Logging;

namespace Aggregator.Application.Telemetry;

/// <summary>
/// The outbox backlog as observable gauges on the <c>Aggregator</c> meter: rows waiting to be published, the age of
/// the oldest of them, and dead rows. Read from the database when scraped, at most once per <see cref="CacheFor"/>,
/// so that frequent scrapes (or several scrapers) cost one cheap query.
/// </summary>
/// <remarks>
/// Every process reports the same shared table, so dashboards take <c>max</c>, not <c>sum</c>. While the database
/// cannot be read the gauges report nothing rather than a stale number; a failed read is not retried before the
/// cache runs out either, so that a scrape during an outage does not wait on a connection timeout every time.
/// </remarks>
public sealed class OutboxBacklogGauges
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    /// <summary>A scrape must answer well within Prometheus's default 10 s timeout, even with the database gone.</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(3);

    private readonly IOutboxStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<OutboxBacklogGauges> _logger;
    private readonly Lock _gate = new();
    private Snapshot? _last;

    public OutboxBacklogGauges(AggregatorMetrics metrics, IOutboxStore store, TimeProvider time, ILogger<OutboxBacklogGauges> logger)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _store = store;
        _time = time;
        _logger = logger;
        metrics.Meter.CreateObservableGauge(
            "aggregator.outbox.pending", () => Measure(backlog => backlog.Pending), "{message}", "Outbox rows waiting to be published");
        metrics.Meter.CreateObservableGauge(
            "aggregator.outbox.dead", () => Measure(backlog => backlog.Dead), "{message}", "Outbox rows given up on after too many failed publish attempts");
        metrics.Meter.CreateObservableGauge(
            "aggregator.outbox.oldest_pending.age", () => Measure(OldestAge), "s", "Age of the oldest outbox row waiting to be published (0 when none is)");
    }

    private double OldestAge(OutboxBacklog backlog) =>
        backlog.OldestPendingCreatedAt is { } createdAt ? Math.Max(0, (_time.GetUtcNow() - createdAt).TotalSeconds) : 0;

    private IEnumerable<Measurement<T>> Measure<T>(Func<OutboxBacklog, T> select)
        where T : struct =>
        Read() is { } backlog ? [new Measurement<T>(select(backlog))] : [];

    /// <summary>The backlog, from the cache while it is fresh; null when the database could not be read.</summary>
    internal OutboxBacklog? Read()
    {
        // The three gauges are collected one after the other in one scrape; the lock makes them share one query.
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_last is { } cached && now - cached.ReadAt < CacheFor)
                return cached.Backlog;

            OutboxBacklog? backlog = null;
            try
            {
                using var timeout = new CancellationTokenSource(ReadTimeout);
                // Observable instruments are collected synchronously; the read is bounded by the timeout above.
                backlog = _store.ReadBacklogAsync(timeout.Token).GetAwaiter().GetResult();
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                _logger.LogWarning("The outbox backlog could not be read for the metrics: {Reason}", SecretRedactor.Redact(exception.Message));
            }

            _last = new Snapshot(now, backlog);
            return backlog;
        }
    }

    private sealed record Snapshot(DateTimeOffset ReadAt, OutboxBacklog? Backlog);
}

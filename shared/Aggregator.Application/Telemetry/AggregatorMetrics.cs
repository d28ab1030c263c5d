using System.Diagnostics.Metrics;
using Aggregator.Core.Rules;

namespace Aggregator.Application.Telemetry;

/// <summary>
/// The domain series of the <c>Aggregator</c> meter: what intake accepted and refused, what validation decided, how
/// rollups ended and how long they took, and what the reconciler had to announce again. The outbox backlog gauges
/// live on the same meter (<see cref="OutboxBacklogGauges"/>).
/// </summary>
/// <remarks>
/// The known label sets start at zero, as Prometheus advises: a series that appears only with its first event makes
/// <c>rate()</c> miss that event and leaves a dashboard blank where it should say 0.
/// </remarks>
public sealed class AggregatorMetrics
{
    public const string MeterName = "Aggregator";

    // A 41-unit district takes a fraction of a second, a large one seconds; a rollup waiting on a lost message minutes.
    private static readonly double[] RollupDurationBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

    private readonly Counter<long> _accepted;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _validated;
    private readonly Counter<long> _rollupsRequested;
    private readonly Counter<long> _rollupsFinished;
    private readonly Histogram<double> _rollupDuration;
    private readonly Histogram<double> _rollupReadable;
    private readonly Counter<long> _reannounced;

    public AggregatorMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        Meter = meters.Create(MeterName);
        _accepted = Meter.CreateCounter<long>(
            "aggregator.submissions.accepted", "{submission}", "Submission versions stored by intake, awaiting validation");
        _refused = Meter.CreateCounter<long>(
            "aggregator.submissions.refused", "{submission}", "Submissions refused at intake, by problem code; nothing was stored");
        _validated = Meter.CreateCounter<long>(
            "aggregator.submissions.validated", "{submission}", "Submission versions validated, by outcome (accepted, accepted_with_warnings, rejected)");
        _rollupsRequested = Meter.CreateCounter<long>(
            "aggregator.rollups.requested", "{rollup}", "Rollups requested");
        _rollupsFinished = Meter.CreateCounter<long>(
            "aggregator.rollups.finished", "{rollup}", "Rollups that ended, by outcome (completed, failed) and error code");
        _rollupDuration = Meter.CreateHistogram(
            "aggregator.rollup.duration", "s", "Time from a rollup's request to its rendered report (or its failure), by outcome",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RollupDurationBuckets });
        _rollupReadable = Meter.CreateHistogram(
            "aggregator.rollup.readable.duration", "s", "Time from a rollup's request to the moment its report can first be read (HTML, public edition)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RollupDurationBuckets });
        _reannounced = Meter.CreateCounter<long>(
            "aggregator.reconciler.reannounced", "{message}", "Messages announced again for records that waited too long for their next step");

        _accepted.Add(0);
        foreach (var outcome in Enum.GetValues<ValidationOutcome>())
            _validated.Add(0, Tag("outcome", outcome.ToWireName()));
        _rollupsRequested.Add(0);
        _rollupsFinished.Add(0, Tag("outcome", RollupOutcomes.Completed), Tag("error_code", string.Empty));
    }

    /// <summary>The meter itself, for the gauges that share it.</summary>
    public Meter Meter { get; }

    internal void SubmissionAccepted() => _accepted.Add(1);

    internal void SubmissionRefused(string code) => _refused.Add(1, Tag("code", code));

    internal void SubmissionValidated(string outcome) => _validated.Add(1, Tag("outcome", outcome));

    internal void RollupRequested() => _rollupsRequested.Add(1);

    /// <param name="errorCode">The failure's code (<c>report_render_failed</c> …); null when completed.</param>
    internal void RollupFinished(TimeSpan sinceRequested, string? errorCode)
    {
        var outcome = Tag("outcome", errorCode is null ? RollupOutcomes.Completed : RollupOutcomes.Failed);
        _rollupsFinished.Add(1, outcome, Tag("error_code", errorCode ?? string.Empty));
        _rollupDuration.Record(Math.Max(0, sinceRequested.TotalSeconds), outcome);
    }

    internal void RollupReadable(TimeSpan sinceRequested) => _rollupReadable.Record(Math.Max(0, sinceRequested.TotalSeconds));

    /// <param name="message">What was announced again: <c>submission_received</c>, <c>rollup_requested</c>, <c>rollup_completed</c>.</param>
    public void Reannounced(string message, int count)
    {
        _reannounced.Add(count, Tag("message", message));
    }

    private static KeyValuePair<string, object?> Tag(string name, string value) => new(name, value);

    private static class RollupOutcomes
    {
        public const string Completed = "completed";
        public const string Failed = "failed";
    }
}

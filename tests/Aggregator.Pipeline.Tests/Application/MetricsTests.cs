using System.Diagnostics.Metrics;
using Aggregator.Application.Reports;
using Aggregator.Application.Rollups;
using Aggregator.Application.Submissions;
using Aggregator.Application.Telemetry;
using Aggregator.Application.Validation;
using Aggregator.Pipeline.Tests.Support;
using Aggregator.Storage.Outbox;

namespace Aggregator.Pipeline.Tests.Application;

/// <summary>The <c>Aggregator</c> meter as the use cases feed it and as a scrape reads its gauges.</summary>
public sealed class MetricsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Intake_validation_and_rollups_are_counted_by_outcome()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        using var recorded = new RecordedMeasurements(harness.Get<AggregatorMetrics>().Meter);
        var period = await harness.OpenSmallDistrictAsync();
        var intake = harness.Get<SubmissionIntake>();

        var receipt = (await intake.SubmitAsync(period.Id, TestDocuments.Valid("T-D01").Document, TestActors.Office, false, Ct)).Value.Receipt!;
        await intake.SubmitAsync(period.Id, TestDocuments.Valid("T-D02").Document, TestActors.Office, true, Ct);
        var wrongYear = TestDocuments.Json("T-D02");
        wrongYear["year"] = 2018;
        Assert.False((await intake.SubmitAsync(period.Id, wrongYear.ToJsonString(), TestActors.Office, false, Ct)).IsSuccess);
        Assert.False((await intake.SubmitAsync(period.Id, "{ not json", TestActors.Office, false, Ct)).IsSuccess);
        await harness.Get<SubmissionValidation>().ValidateAsync(receipt.SubmissionId, 1, Ct);
        await harness.Get<SubmissionValidation>().ValidateAsync(receipt.SubmissionId, 1, Ct);
        var rollup = (await harness.Get<RollupRequests>().RequestAsync(period.Id, null, TestActors.Admin, Ct)).Value;
        await harness.Get<RollupBuilder>().BuildAsync(rollup.RollupId, Ct);
        Assert.Equal(ReportPublicationStatus.Rendered, (await harness.Get<ReportPublication>().PublishAsync(rollup.RollupId, Ct)).Status);
        await harness.Get<ReportPublication>().PublishAsync(rollup.RollupId, Ct);
        var failed = (await harness.Get<RollupRequests>().RequestAsync(period.Id, null, TestActors.Admin, Ct)).Value;
        Assert.True(await harness.Get<RollupFaults>().RecordRenderFaultAsync(failed.RollupId, "模拟故障", Ct));

        Assert.Equal(1, recorded.Sum("aggregator.submissions.accepted"));
        Assert.Equal(1, recorded.Sum("aggregator.submissions.refused", ("code", "wrong_year")));
        Assert.Equal(1, recorded.Sum("aggregator.submissions.refused", ("code", "invalid_json")));
        Assert.Equal(1, recorded.Sum("aggregator.submissions.validated", ("outcome", "accepted")) + recorded.Sum("aggregator.submissions.validated", ("outcome", "accepted_with_warnings")));
        Assert.Equal(2, recorded.Sum("aggregator.rollups.requested"));
        Assert.Equal(1, recorded.Sum("aggregator.rollups.finished", ("outcome", "completed")));
        Assert.Equal(1, recorded.Sum("aggregator.rollups.finished", ("outcome", "failed"), ("error_code", RollupFailure.RenderFailed)));
        Assert.Equal(2, recorded.Count("aggregator.rollup.duration"));
        Assert.Equal(1, recorded.Count("aggregator.rollup.readable.duration"));
    }

    [Fact]
    public async Task The_outbox_gauges_read_the_database_at_most_once_per_cache_period_and_report_nothing_when_it_is_gone()
    {
        var start = new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);
        var clock = new SettableClock(start);
        await using var harness = await ApplicationHarness.SqliteAsync(clock);
        harness.Get<OutboxBacklogGauges>();
        using var recorded = new RecordedMeasurements(harness.Get<AggregatorMetrics>().Meter);
        var outbox = harness.Get<IOutboxStore>();
        await outbox.AddAsync("Test.First", "{}", Ct);

        var first = recorded.Observe();
        clock.SetUtcNow(start.AddSeconds(5));
        await outbox.AddAsync("Test.Second", "{}", Ct);
        var cached = recorded.Observe();
        clock.SetUtcNow(start + OutboxBacklogGauges.CacheFor + TimeSpan.FromSeconds(1));
        var fresh = recorded.Observe();
        await harness.Database.DisposeAsync();
        clock.SetUtcNow(start + (3 * OutboxBacklogGauges.CacheFor));
        var gone = recorded.Observe();

        Assert.Equal((1, 0, 0), first);
        Assert.Equal((1, 0, 5), cached);
        Assert.Equal((2, 0, OutboxBacklogGauges.CacheFor.TotalSeconds + 1), fresh);
        Assert.Equal((-1, -1, -1), gone);
    }

    /// <summary>What one meter's instruments measured, by instrument name and tags.</summary>
    private sealed class RecordedMeasurements : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<(string Name, double Value, KeyValuePair<string, object?>[] Tags)> _measurements = [];

        public RecordedMeasurements(Meter meter)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument.Name, value, tags));
            _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument.Name, value, tags));
            _listener.Start();
        }

        public double Sum(string name, params (string Key, string Value)[] tags) =>
            Matching(name, tags).Sum(m => m.Value);

        public int Count(string name) => Matching(name, []).Count(m => m.Value > 0);

        /// <summary>One scrape of the gauges: pending, dead, oldest age; -1 for a gauge that reported nothing.</summary>
        public (double Pending, double Dead, double OldestAge) Observe()
        {
            lock (_measurements)
                _measurements.RemoveAll(m => m.Name.StartsWith("aggregator.outbox.", StringComparison.Ordinal));
            _listener.RecordObservableInstruments();
            lock (_measurements)
            {
                double Last(string name) => _measurements.LastOrDefault(m => m.Name == name) is { Name: not null } m ? m.Value : -1;
                return (Last("aggregator.outbox.pending"), Last("aggregator.outbox.dead"), Last("aggregator.outbox.oldest_pending.age"));
            }
        }

        public void Dispose() => _listener.Dispose();

        private List<(string Name, double Value, KeyValuePair<string, object?>[] Tags)> Matching(string name, (string Key, string Value)[] tags)
        {
            lock (_measurements)
                return [.. _measurements.Where(m => m.Name == name && tags.All(t => m.Tags.Any(tag => tag.Key == t.Key && Equals(tag.Value, t.Value))))];
        }

        private void Add(string name, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = tags.ToArray();
            lock (_measurements)
                _measurements.Add((name, value, copy));
        }
    }
}

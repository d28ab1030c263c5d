using System.Diagnostics;
using Aggregator.Application.Periods;
using Aggregator.Application.Rollups;
using Aggregator.Application.Submissions;
using Aggregator.Application.Units;
using Aggregator.Cli.Hosting;
using Aggregator.Pipeline.Tests.Support;
using Aggregator.Storage;
using Aggregator.Testing.Databases;
using Aggregator.Testing.Faults;
using MassTransit;

namespace Aggregator.Pipeline.Tests.EndToEnd;

/// <summary>The embedded pipeline over a PostgreSQL server of this test's own, which the test stops mid-load.</summary>
[Collection(FaultInjectionCollection.Name)]
public sealed class DatabaseOutageTests(ITestOutputHelper output)
{
    private const int Units = 80;
    private static readonly TimeSpan OutageLength = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_submission_accepted_around_a_database_outage_is_validated_once_and_summed()
    {
        await using var server = await PrivatePostgres.StartAsync(Ct);
        await using var database = await server.CreateDatabaseAsync(Ct);
        var settings = new Dictionary<string, string?>(database.Settings)
        {
            ["Messaging:Retry:Intervals:0"] = "00:00:00.100",
            ["Messaging:Redelivery:Intervals:0"] = "00:00:01",
            ["Messaging:Redelivery:Intervals:1"] = "00:00:02",
            ["Reconciler:Interval"] = "00:00:00.500",
            ["Reconciler:StalledAfter"] = "00:00:05",
        };
        await using var pipeline = await EmbeddedPipeline.StartAsync(Path.Combine(Path.GetTempPath(), $"outage-{Guid.NewGuid():N}.db"), Ct, settings);
        await pipeline.Get<UnitRegistry>().UpsertAsync(TestDocuments.SmallDistrict(Units), TestActors.Admin, Ct);
        var period = (await pipeline.Get<PeriodService>().OpenAsync(
            new OpenPeriodRequest(2019, "fmt_2019", TestDocuments.District, new DateOnly(2020, 1, 31)), TestActors.Admin, Ct)).Value;
        var intake = pipeline.Get<SubmissionIntake>();
        var deliveries = new SubmissionDeliveries();
        using var observed = pipeline.Get<IBus>().ConnectConsumeObserver(deliveries);

        var accepted = new List<Guid>();
        var acceptedDocuments = new List<Aggregator.Cli.Demo.GeneratedSubmission>();
        var sent = 0;
        async Task SubmitAsync(int unit)
        {
            Interlocked.Increment(ref sent);
            try
            {
                var generated = TestDocuments.Valid($"T-D{unit:00}", seed: unit);
                var result = await intake.SubmitAsync(period.Id, generated.Document, TestActors.Office, false, Ct);
                if (result.IsSuccess)
                {
                    lock (accepted)
                    {
                        accepted.Add(result.Value.Receipt!.SubmissionId);
                        acceptedDocuments.Add(generated);
                    }
                }
            }
#pragma warning disable CA1031 // an outage answers with whatever the database client throws; such a submission is simply not accepted
            catch (Exception)
#pragma warning restore CA1031
            {
                await Task.Delay(TimeSpan.FromMilliseconds(400), Ct);
            }
        }

        // A burst, then the stop at once: its messages are consumed while the database is away.
        await Task.WhenAll(Enumerable.Range(1, Units / 3).Select(SubmitAsync));
        await server.StopServerAsync(Ct);
        var outage = Stopwatch.StartNew();
        for (var i = (Units / 3) + 1; i <= Units; i++)
        {
            if (!server.IsRunning && outage.Elapsed > OutageLength)
                await server.StartServerAsync(Ct);
            await SubmitAsync(i);
        }

        if (!server.IsRunning)
        {
            // The submissions ran out first: the database stays away for the whole outage all the same.
            var rest = OutageLength - outage.Elapsed;
            if (rest > TimeSpan.Zero)
                await Task.Delay(rest, Ct);
            await server.StartServerAsync(Ct);
        }
        var outageLength = outage.Elapsed;

        var converging = Stopwatch.StartNew();
        PipelineLedger? ledger = null;
        while (converging.Elapsed < TimeSpan.FromSeconds(60))
        {
            ledger = (await PipelineLedger.TryReadAsync(database, Ct)).Ledger ?? ledger;
            if (ledger is { Waiting: 0 } && ledger.Results >= accepted.Count)
                break;
            await Task.Delay(TimeSpan.FromMilliseconds(250), Ct);
        }

        Assert.NotNull(ledger);
        var figures = new FaultFigures(
            $"database stopped for {outageLength.TotalSeconds:0} s mid-load", sent, accepted.Count, ledger.Results, accepted.Count - ledger.Results,
            deliveries.Duplicated, ledger.Reannounced, converging.Elapsed, "the database was back and the last submission sent");
        output.WriteLine(figures.ToString());
        Assert.True(accepted.Count >= Units / 3, $"only {accepted.Count} of {sent} were accepted");
        Assert.True(accepted.Count < sent, "the outage refused no submission: the database was not really stopped");
        Assert.Equal(0, ledger.Waiting);
        Assert.Equal(accepted.Count, ledger.Results);
        Assert.Equal(0, ledger.ResultsRepeated);
        Assert.Equal(accepted.Count, ledger.AuditedValidations);

        var rollupId = (await pipeline.Get<RollupRequests>().RequestAsync(period.Id, null, TestActors.Admin, Ct)).Value.RollupId;
        var rollups = pipeline.Get<Aggregator.Storage.Rollups.RollupRepository>();
        var waited = Stopwatch.StartNew();
        while ((await rollups.GetAsync(rollupId, Ct))!.Status is RollupStatus.Requested or RollupStatus.Rendering && waited.Elapsed < TimeSpan.FromSeconds(30))
            await Task.Delay(TimeSpan.FromMilliseconds(200), Ct);
        var rollup = (await rollups.GetAsync(rollupId, Ct))!;
        Assert.Equal(RollupStatus.Completed, rollup.Status);
        Assert.DoesNotContain(rollup.Exclusions, exclusion => exclusion.Reason == ExclusionReason.Pending);
        Assert.Equal(accepted.Count, rollup.Inputs.Count);

        // The independent sum: the values each accepted document carried, as its unit meant them.
        var expected = acceptedDocuments.SelectMany(document => document.IntendedValues)
            .GroupBy(value => value.Key, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Sum(value => value.Value), StringComparer.Ordinal);
        var actual = rollup.Values.Where(value => value.Value is not null).ToDictionary(value => value.CellId, value => value.Value!.Value, StringComparer.Ordinal);
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), actual.Where(p => expected.ContainsKey(p.Key) || p.Value != 0).OrderBy(p => p.Key, StringComparer.Ordinal));
    }
}

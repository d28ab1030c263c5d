using System.Diagnostics;
using System.Globalization;
using Aggregator.Application.Reports;
using Aggregator.Application.Rollups;
using Aggregator.Application.Submissions;
using Aggregator.Application.Periods;
using Aggregator.Cli.Demo;
using Aggregator.Cli.Hosting;
using Aggregator.Core.Forms;
using Aggregator.Core.Rules;
using Aggregator.Core.Summation;
using Aggregator.Core.Values;
using Aggregator.Pipeline.Tests.Support;
using Aggregator.Reporting;
using Aggregator.Storage;
using Aggregator.Testing.Brokers;
using Aggregator.Testing.Databases;

namespace Aggregator.Benchmarks.Pipeline;

/// <summary>
/// End-to-end figures of the pipeline, each beside a baseline measured in the same run:
/// (1) from <c>POST /periods/{id}/rollups</c> to a rendered report for the 41-unit district in distributed mode
/// (RabbitMQ, PostgreSQL, three hosts), against the embedded mode and the bare summation and rendering;
/// (2) submissions per second through the whole pipeline (HTTP intake to stored validation outcome) for a
/// 1,000-unit period, against the embedded mode and the bare parsing and validation.
/// Usage: <c>dotnet run -c Release --project tests/Aggregator.Benchmarks -- pipeline [--runs 9] [--units 1000] [--concurrency 8]</c>.
/// </summary>
public static class PipelineMeasurement
{
    private const string RabbitMqVariable = "AGGREGATOR_TEST_RABBITMQ";

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);
    // Polling the report faster steals CPU from the worker on a small machine; 10 ms bounds the timing error.
    private static readonly TimeSpan ReportPoll = TimeSpan.FromMilliseconds(10);

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = Option(args, "--runs", 9);
        var units = Option(args, "--units", 1000);
        var concurrency = Option(args, "--concurrency", 8);
        var ct = CancellationToken.None;
        if (Environment.GetEnvironmentVariable(TestDatabases.PostgresVariable) is not { Length: > 0 }
            || Environment.GetEnvironmentVariable(RabbitMqVariable) is not { Length: > 0 })
        {
            await Console.Error.WriteLineAsync($"Set {TestDatabases.PostgresVariable} and {RabbitMqVariable} (source build/.services.env).");
            return 2;
        }

        Console.WriteLine($"Pipeline measurement: {runs} runs, {units} units, {concurrency} concurrent HTTP clients, {Environment.ProcessorCount} cores");
        await MeasureRollupLatencyAsync(runs, ct);
        await MeasureThroughputAsync(units, concurrency, ct);
        return 0;
    }

    private static async Task MeasureRollupLatencyAsync(int runs, CancellationToken ct)
    {
        var scenario = DistrictScenario.Standard();
        var distributed = new List<double>();
        await using (var database = await TestDatabases.PostgresAsync())
        await using (var broker = await TestBroker.CreateAsync(ct))
        await using (var pipeline = await DistributedPipeline.StartAsync(database.Settings, broker.MessagingSettings(), ct))
        {
            using var api = pipeline.CreateClient();
            await api.RegisterAsync(scenario, ct);
            var periodId = await api.OpenPeriodAsync(scenario.Root.Code, ct);
            foreach (var submission in scenario.Submissions)
            {
                await api.SubmitAsync(periodId, submission.Document.ToJson(), ct);
            }

            await api.WaitForValidationAsync(periodId, scenario.Submissions.Count, Patience, ct);
            for (var run = 0; run <= runs; run++)
            {
                var stopwatch = Stopwatch.StartNew();
                var rollupId = await api.RequestRollupAsync(periodId, ct);
                while ((await api.Http.GetAsync($"api/v1/rollups/{rollupId}/report?format=html", ct)).StatusCode != System.Net.HttpStatusCode.OK)
                {
                    await Task.Delay(ReportPoll, ct);
                }

                // The first run warms up JIT, connection pools and template caches.
                if (run > 0)
                {
                    distributed.Add(stopwatch.Elapsed.TotalMilliseconds);
                }
            }
        }

        var embedded = new List<double>();
        var path = Path.Combine(Path.GetTempPath(), $"aggregator-measure-{Guid.NewGuid():N}.db");
        await using (var pipeline = await EmbeddedPipeline.StartAsync(path, ct))
        {
            var first = await new PipelineRun(pipeline).RunAsync(
                scenario.Registrations, scenario.Root.Code, DistrictScenario.FormatId, DistrictScenario.Year,
                [.. scenario.Submissions.Select(s => new UnitDocument(s.Unit.Code, s.Document))], lenient: false, Patience, ct);
            for (var run = 0; run < runs; run++)
            {
                var stopwatch = Stopwatch.StartNew();
                var rollupId = (await pipeline.Get<RollupRequests>().RequestAsync(first.Rollup.PeriodId, null, Actor.Cli, ct)).Value.RollupId;
                while (!(await pipeline.Get<ReportQuery>().GetAsync(rollupId, ReportFormat.Html, ct)).IsSuccess)
                {
                    await Task.Delay(ReportPoll, ct);
                }

                embedded.Add(stopwatch.Elapsed.TotalMilliseconds);
            }
        }

        File.Delete(path);
        var bare = BareRollupMilliseconds(scenario, runs);
        Console.WriteLine();
        Console.WriteLine($"Rollup request → rendered report, 41-unit district ({scenario.Submissions.Count} submissions), median of {runs} runs [min–max]:");
        Print("distributed (HTTP, RabbitMQ, PostgreSQL, 3 hosts)", distributed, "ms");
        Print("embedded (in-memory bus, SQLite)", embedded, "ms");
        Print("bare summation + rendering html and md (no I/O)", bare, "ms");
        Console.WriteLine($"  ratio distributed / embedded: {Median(distributed) / Median(embedded):0.0}×; distributed / bare: {Median(distributed) / Median(bare):0.0}×");
    }

    /// <summary>
    /// The bare work of a rollup of <paramref name="scenario"/>'s accepted tables: the core's summation and rendering
    /// the report in HTML and Markdown, no I/O; <paramref name="runs"/> timings in ms after one warm-up.
    /// </summary>
    public static List<double> BareRollupMilliseconds(DistrictScenario scenario, int runs)
    {
        var bare = new List<double>();
        var form = FormCatalog.Default.Get(DistrictScenario.FormatId);
        var renderer = ReportRenderer.CreateDefault();
        var accepted = scenario.Submissions.Select(s => SubmissionValidator.Default.Validate(s.Document))
            .Where(r => r.Outcome != ValidationOutcome.Rejected).Select((r, i) => new RollupInput(i.ToString(CultureInfo.InvariantCulture), r.Table)).ToList();
        for (var run = 0; run <= runs; run++)
        {
            var stopwatch = Stopwatch.StartNew();
            var sum = RollupCalculator.Sum(form, accepted);
            var input = new ReportInput
            {
                FormatId = form.Id,
                Year = DistrictScenario.Year,
                UnitName = scenario.Root.Name,
                GeneratedAt = DateTimeOffset.UtcNow,
                Values = ReportValues.From(sum.Total),
                IncludedUnits = [.. accepted.Select(a => new IncludedUnit(a.Key, a.Key, 1, ReportValues.From(a.Table)))],
                RollupViolations = [.. RuleEvaluator.Evaluate(sum.Total).Select(ReportViolation.From)],
            };
            _ = renderer.Render(input, ReportOutputFormat.Html);
            _ = renderer.Render(input, ReportOutputFormat.Markdown);
            if (run > 0)
            {
                bare.Add(stopwatch.Elapsed.TotalMilliseconds);
            }
        }

        return bare;
    }

    private static async Task MeasureThroughputAsync(int unitCount, int concurrency, CancellationToken ct)
    {
        var scenario = DistrictScenario.Create(unitCount, seed: 1000, withMistakes: false, missing: 0);
        var documents = scenario.Submissions.Select(s => s.Document.ToJson()).ToList();

        double distributedSeconds;
        double intakeSeconds;
        await using (var database = await TestDatabases.PostgresAsync())
        await using (var broker = await TestBroker.CreateAsync(ct))
        await using (var pipeline = await DistributedPipeline.StartAsync(database.Settings, broker.MessagingSettings(), ct))
        {
            using var api = pipeline.CreateClient();
            await api.RegisterAsync(scenario, ct);
            var periodId = await api.OpenPeriodAsync(scenario.Root.Code, ct);
            var stopwatch = Stopwatch.StartNew();
            await Parallel.ForEachAsync(documents, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct },
                async (json, token) => await api.SubmitAsync(periodId, json, token));
            intakeSeconds = stopwatch.Elapsed.TotalSeconds;
            await api.WaitForValidationAsync(periodId, documents.Count, Patience, ct);
            distributedSeconds = stopwatch.Elapsed.TotalSeconds;
        }

        double embeddedSeconds;
        var path = Path.Combine(Path.GetTempPath(), $"aggregator-measure-{Guid.NewGuid():N}.db");
        await using (var pipeline = await EmbeddedPipeline.StartAsync(path, ct))
        {
            await pipeline.Get<Aggregator.Application.Units.UnitRegistry>().UpsertAsync(scenario.Registrations, Actor.Cli, ct);
            var period = (await pipeline.Get<PeriodService>().OpenAsync(
                new OpenPeriodRequest(DistrictScenario.Year, DistrictScenario.FormatId, scenario.Root.Code, new DateOnly(2020, 1, 31)), Actor.Cli, ct)).Value;
            var intake = pipeline.Get<SubmissionIntake>();
            var stopwatch = Stopwatch.StartNew();
            await Parallel.ForEachAsync(documents, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct },
                async (json, token) => _ = (await intake.SubmitAsync(period.Id, json, Submitter.Office(Actor.Cli), false, token)).Value);
            var completeness = pipeline.Get<CompletenessQuery>();
            while ((await completeness.GetAsync(period.Id, ct))!.Units.Any(u => u.Status is "received" or "missing"))
            {
                await Task.Delay(20, ct);
            }

            embeddedSeconds = stopwatch.Elapsed.TotalSeconds;
        }

        File.Delete(path);
        var bare = Stopwatch.StartNew();
        foreach (var json in documents)
        {
            _ = SubmissionValidator.Default.Validate(SubmissionDocument.Parse(json));
        }

        var bareSeconds = bare.Elapsed.TotalSeconds;
        var n = documents.Count;
        Console.WriteLine();
        Console.WriteLine($"Submissions through the whole pipeline (stored, announced, validated, outcome stored), {n} units, {concurrency} concurrent clients:");
        Console.WriteLine($"  distributed (HTTP, RabbitMQ, PostgreSQL): {n / distributedSeconds,10:0} submissions/s  ({distributedSeconds:0.00} s; HTTP intake alone {n / intakeSeconds:0}/s)");
        Console.WriteLine($"  embedded (in-memory bus, SQLite):        {n / embeddedSeconds,10:0} submissions/s  ({embeddedSeconds:0.00} s)");
        Console.WriteLine($"  bare parse + validate (no I/O):          {n / bareSeconds,10:0} submissions/s  ({bareSeconds * 1000:0} ms)");
        Console.WriteLine($"  ratio distributed / bare: 1/{(n / bareSeconds) / (n / distributedSeconds):0}; distributed / embedded: {embeddedSeconds / distributedSeconds:0.00}×");
    }

    private static void Print(string label, List<double> samples, string unit) =>
        Console.WriteLine($"  {label,-52} {Median(samples),8:0.0} {unit}  [{samples.Min():0.0}–{samples.Max():0.0}]");

    private static double Median(List<double> samples)
    {
        var sorted = samples.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }
}

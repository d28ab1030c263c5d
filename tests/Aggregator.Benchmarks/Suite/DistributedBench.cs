using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Dapper;
using Aggregator.Cli.Demo;
using Aggregator.Hosting;
using Aggregator.Messaging;
using Aggregator.Pipeline.Tests.Support;
using Aggregator.Storage.Units;
using Aggregator.Testing.Brokers;
using Aggregator.Testing.Databases;
using Npgsql;

namespace Aggregator.Benchmarks.Suite;

/// <summary>Peak resident set (VmHWM) of a service process, and its resident set once ready, in MB.</summary>
public sealed record ServiceMemory(string Service, double PeakMegabytes, double StartMegabytes);

/// <summary>What one distributed run measured; the bound's parts are the same run's baselines.</summary>
public sealed record DistributedRun(
    int Submissions,
    double SubmissionsPerSecond,
    double MessagesPerSubmission,
    double PublishedPerSubmission,
    double RowsPerSubmission,
    double BrokerMessagesPerSecond,
    double CopyRowsPerSecond,
    IReadOnlyList<double> DistrictMilliseconds,
    double DistrictBareMilliseconds,
    double? WholeRollupSeconds,
    int WholeRollupUnits,
    IReadOnlyList<ServiceMemory> Memory)
{
    /// <summary>
    /// The district rollups' medians, split by the times the database recorded: request stored → sums stored (outbox,
    /// broker, build), sums → public HTML report stored (outbox, broker, render), and the rest of the client's wait (the HTTP
    /// request, and seeing the report).
    /// </summary>
    public (double Build, double Render, double Remainder)? DistrictBreakdown { get; init; }

    /// <summary>Processor seconds each process used in the throughput phase, and the phase's wall-clock seconds.</summary>
    public IReadOnlyList<(string Process, double Seconds)> CpuSeconds { get; init; } = [];

    public double ThroughputSeconds { get; init; }

    public double BrokerBound => BrokerMessagesPerSecond / MessagesPerSubmission;

    public double DatabaseBound => CopyRowsPerSecond / RowsPerSubmission;

    public double Bound => Math.Min(BrokerBound, DatabaseBound);

    public double Efficiency => SubmissionsPerSecond / Bound;
}

/// <summary>
/// The distributed mode as deployed (the API, a validation worker and an aggregation worker, each its own process,
/// over RabbitMQ and PostgreSQL): the 41-unit district's rollup latency, end-to-end submissions per second on a
/// generated tree, the messages and rows each submission costs (counted from the broker's statistics and the
/// database's tables), and then, on the same broker and database, the raw baselines that bound the throughput.
/// </summary>
public sealed class DistributedBench(Progress progress, IReadOnlyDictionary<string, string?> overrides)
{
    private const int Concurrency = 8;
    private const int WarmUpRuns = 3;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ReportPoll = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan ValidationPoll = TimeSpan.FromMilliseconds(200);

    // The deployed timers (the options' defaults), not the fault tests' fast ones: the figures describe what runs in
    // production, and a reconciler sweeping every second would add messages of its own. Intake's rate limit stays off,
    // as the load comes from one client.
    private static readonly Dictionary<string, string?> Settings = DeployedSettings();

    public async Task<DistributedRun> RunAsync(int units, int districtRuns, int brokerMessages, int copySubmissions, CancellationToken ct)
    {
        await using var database = await TestDatabases.PostgresAsync();
        await using var broker = await TestBroker.CreateAsync(ct);
        var district = DistrictScenario.Standard();
        var tree = TreeScenario.Create(units, seed: 7);
        var documents = tree.Submissions.Select(s => s.Document.ToJson()).ToList();

        List<double> latencies;
        (double, double, double)? breakdown;
        double throughput;
        (long Published, long Delivered) messages;
        long rowsBefore;
        long rows;
        double? wholeSeconds;
        List<ServiceMemory> memory;
        List<(string, double)> cpu;
        double phaseSeconds;
        progress.Line("    starting the API, the validation worker and the aggregation worker as processes");
        var settings = new Dictionary<string, string?>(Settings);
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        await using (var pipeline = await ProcessPipeline.StartAsync(database.Settings, broker.MessagingSettings(), ct, settings))
        {
            var atStart = new[] { pipeline.Intake }.Concat(pipeline.Workers).ToDictionary(p => p.ProcessId, p => ProcStatus.ResidentMegabytes(p.ProcessId));
            using var api = pipeline.CreateClient();
            progress.Line($"    district rollup: {district.Submissions.Count} submissions, then {WarmUpRuns} warm-up and {districtRuns} timed rollups");
            List<(Guid RollupId, double Milliseconds)> timed;
            (latencies, timed) = await DistrictLatenciesAsync(api, district, districtRuns, ct);
            breakdown = await BreakdownAsync(database.ConnectionString, timed, ct);

            await RegisterAsync(api, tree.Registrations, ct);
            var periodId = await api.OpenPeriodAsync(tree.Root.Code, ct);
            var before = await SettledTotalsAsync(broker, ct);
            rowsBefore = await CountRowsAsync(database.ConnectionString, ct);
            progress.Line($"    throughput: {documents.Count} submissions of {tree.Leaves.Count} units, {Concurrency} concurrent HTTP clients");
            var cpuBefore = CpuSnapshot(pipeline);
            var stopwatch = Stopwatch.StartNew();
            await Parallel.ForEachAsync(documents, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = ct },
                async (json, token) => await api.SubmitAsync(periodId, json, token));
            await WaitForValidationAsync(api, periodId, documents.Count, ct);
            throughput = documents.Count / stopwatch.Elapsed.TotalSeconds;
            phaseSeconds = stopwatch.Elapsed.TotalSeconds;
            var cpuAfter = CpuSnapshot(pipeline);
            cpu = [.. cpuAfter.Select((p, i) => (p.Process, p.Seconds - cpuBefore[i].Seconds))];
            var after = await SettledTotalsAsync(broker, ct);
            messages = (after.Published - before.Published, after.Delivered - before.Delivered);
            rows = await CountRowsAsync(database.ConnectionString, ct) - rowsBefore;

            progress.Line($"    rollup of the whole tree ({tree.Leaves.Count} units) to its rendered report");
            wholeSeconds = await WholeRollupSecondsAsync(api, periodId, ct);
            memory =
            [
                new("API (intake)", ProcStatus.PeakMegabytes(pipeline.Intake.ProcessId), atStart[pipeline.Intake.ProcessId]),
                .. pipeline.Workers.Select(w => new ServiceMemory(ShortName(w.Name), ProcStatus.PeakMegabytes(w.ProcessId), atStart[w.ProcessId])),
            ];
        }

        progress.Line($"    baseline: raw RabbitMQ.Client publish + consume, {brokerMessages} durable messages with confirms");
        var brokerRate = await BrokerBaseline.MessagesPerSecondAsync(broker.Uri, brokerMessages, ct);
        var cells = tree.Submissions[0].IntendedValues.Keys.ToList();
        progress.Line($"    baseline: binary COPY of {copySubmissions} × {cells.Count} cell rows, {CopyBaseline.RowsPerCommit} rows per transaction");
        var copyRate = await CopyBaseline.RowsPerSecondAsync(database.ConnectionString, cells, copySubmissions, ct);
        var bare = Pipeline.PipelineMeasurement.BareRollupMilliseconds(district, districtRuns);
        return new DistributedRun(
            documents.Count, throughput, (double)messages.Delivered / documents.Count, (double)messages.Published / documents.Count,
            (double)rows / documents.Count, brokerRate, copyRate, latencies, bare.Order().ElementAt(bare.Count / 2), wholeSeconds, tree.Leaves.Count, memory)
        {
            DistrictBreakdown = breakdown,
            CpuSeconds = cpu,
            ThroughputSeconds = phaseSeconds,
        };
    }

    // The database's and the broker's processes are counted by name: the machine runs one of each for the suite.
    private static List<(string Process, double Seconds)> CpuSnapshot(ProcessPipeline pipeline) =>
    [
        ("API", CpuTimes.Seconds(pipeline.Intake.ProcessId)),
        .. pipeline.Workers.Select(w => (ShortName(w.Name), CpuTimes.Seconds(w.ProcessId))),
        ("PostgreSQL", CpuTimes.SecondsOfAll("postgres")),
        ("RabbitMQ", CpuTimes.SecondsOfAll("beam.smp")),
        ("benchmark clients", Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds),
    ];

    private static async Task<(List<double>, List<(Guid, double)>)> DistrictLatenciesAsync(ApiClient api, DistrictScenario scenario, int runs, CancellationToken ct)
    {
        var timed = new List<(Guid, double)>();
        await api.RegisterAsync(scenario, ct);
        var periodId = await api.OpenPeriodAsync(scenario.Root.Code, ct);
        foreach (var submission in scenario.Submissions)
        {
            await api.SubmitAsync(periodId, submission.Document.ToJson(), ct);
        }

        await WaitForValidationAsync(api, periodId, scenario.Submissions.Count, ct);
        var samples = new List<double>();
        for (var run = 0; run < WarmUpRuns + runs; run++)
        {
            var stopwatch = Stopwatch.StartNew();
            var rollupId = await api.RequestRollupAsync(periodId, ct);
            await WaitForReportAsync(api, rollupId, ReportPoll, ct);
            var elapsed = stopwatch.Elapsed.TotalMilliseconds;
            // The HTML report is readable before the other formats are stored; the next request waits for them, so
            // that no run is timed while the one before still renders.
            await WaitForCompletionAsync(api, rollupId, ct);
            // The first runs warm up JIT (tiered compilation), connection pools and template caches, as in a service
            // that has been running.
            if (run >= WarmUpRuns)
            {
                samples.Add(elapsed);
                timed.Add((rollupId, elapsed));
            }
        }

        return (samples, timed);
    }

    private static async Task<(double, double, double)?> BreakdownAsync(string connectionString, List<(Guid RollupId, double Milliseconds)> timed, CancellationToken ct)
    {
        // The client waits for the public HTML report, which is stored ahead of the other formats.
        const string StepsSql = """
            SELECT r.id, r.requested_at, r.computed_at, p.rendered_at
            FROM rollups r LEFT JOIN reports p ON p.rollup_id = r.id AND p.format = 'html'
            WHERE r.id = ANY(@Ids)
            """;
        await using var connection = new NpgsqlConnection(connectionString);
        var rows = (await connection.QueryAsync<(Guid Id, DateTime RequestedAt, DateTime? ComputedAt, DateTime? CompletedAt)>(new CommandDefinition(
            StepsSql, new { Ids = timed.Select(t => t.RollupId).ToArray() }, cancellationToken: ct))).ToDictionary(row => row.Id);
        var steps = timed
            .Where(t => rows.TryGetValue(t.RollupId, out var row) && row.ComputedAt is not null && row.CompletedAt is not null)
            .Select(t =>
            {
                var row = rows[t.RollupId];
                var build = (row.ComputedAt!.Value - row.RequestedAt).TotalMilliseconds;
                var render = (row.CompletedAt!.Value - row.ComputedAt.Value).TotalMilliseconds;
                return (Build: build, Render: render, Remainder: t.Milliseconds - build - render);
            })
            .ToList();
        if (steps.Count == 0)
        {
            return null;
        }

        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted[sorted.Count / 2];
        }

        return (Median(steps.Select(s => s.Build)), Median(steps.Select(s => s.Render)), Median(steps.Select(s => s.Remainder)));
    }

    private static async Task<double?> WholeRollupSecondsAsync(ApiClient api, Guid periodId, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        var rollupId = await api.RequestRollupAsync(periodId, ct);
        return await WaitForReportAsync(api, rollupId, TimeSpan.FromMilliseconds(100), ct) ? stopwatch.Elapsed.TotalSeconds : null;
    }

    private static async Task WaitForCompletionAsync(ApiClient api, Guid rollupId, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < Patience)
        {
            var (_, body) = await api.GetAsync($"rollups/{rollupId}", ct);
            if (body?["status"]?.GetValue<string>() is "completed" or "failed")
            {
                return;
            }

            await Task.Delay(ReportPoll, ct);
        }

        throw new TimeoutException($"Rollup {rollupId} did not complete within {Patience}.");
    }

    /// <summary>True once the HTML report downloads; false when the rollup failed.</summary>
    private static async Task<bool> WaitForReportAsync(ApiClient api, Guid rollupId, TimeSpan poll, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        var lastState = TimeSpan.Zero;
        while (deadline.Elapsed < Patience)
        {
            using var response = await api.Http.GetAsync($"api/v1/rollups/{rollupId}/report?format=html", ct);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return true;
            }

            // The state is read once a second only, so that the poll adds one request, not two, to the API's load.
            if (deadline.Elapsed - lastState >= TimeSpan.FromSeconds(1))
            {
                lastState = deadline.Elapsed;
                var (_, body) = await api.GetAsync($"rollups/{rollupId}", ct);
                if (body?["status"]?.GetValue<string>() == "failed")
                {
                    return false;
                }
            }

            await Task.Delay(poll, ct);
        }

        throw new TimeoutException($"The report of rollup {rollupId} was not ready within {Patience}.");
    }

    // The counts only, as a client waiting for validation reads them: the full completeness lists every unit.
    private static async Task WaitForValidationAsync(ApiClient api, Guid periodId, int submitted, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < Patience)
        {
            var (_, body) = await api.GetAsync($"periods/{periodId}/completeness/summary", ct);
            var validated = body is null ? 0 : body["submitted"]!.GetValue<int>() - body["received"]!.GetValue<int>();
            if (validated >= submitted)
            {
                return;
            }

            await Task.Delay(ValidationPoll, ct);
        }

        throw new TimeoutException($"{submitted} submissions of period {periodId} were not validated within {Patience}.");
    }

    // The API takes at most 5,000 units and 1 MB per request; parents come before their children in every chunk's order.
    private const int UnitsPerRequest = 2_000;

    private static async Task RegisterAsync(ApiClient api, IReadOnlyList<UnitRegistration> registrations, CancellationToken ct)
    {
        foreach (var chunk in registrations.Chunk(UnitsPerRequest))
        {
            var units = new JsonArray([.. chunk.Select(u => (JsonNode)new JsonObject
            {
                ["code"] = u.Code,
                ["name"] = u.Name,
                ["kind"] = u.Kind,
                ["parent"] = u.ParentCode,
            })]);
            var (status, body) = await api.PostAsync("units", units.ToJsonString(), ct);
            if (status != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"Registering {chunk.Length} units answered {(int)status}: {body?.ToJsonString()}");
            }
        }
    }

    /// <summary>
    /// The broker's counters once they stop moving: its statistics are sampled (every five seconds by default), so
    /// they are read until two reads six seconds apart agree.
    /// </summary>
    private static async Task<(long Published, long Delivered)> SettledTotalsAsync(TestBroker broker, CancellationToken ct)
    {
        var last = await broker.GetMessageTotalsAsync(ct);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            await Task.Delay(TimeSpan.FromSeconds(6), ct);
            var now = await broker.GetMessageTotalsAsync(ct);
            if (now == last)
            {
                return (now.Published, now.Delivered);
            }

            last = now;
        }

        throw new TimeoutException("The broker's message statistics did not settle within a minute.");
    }

    /// <summary>Every row of every table of the schema, counted exactly (one count per table, in one statement).</summary>
    private static async Task<long> CountRowsAsync(string connectionString, CancellationToken ct)
    {
        const string CountSql = """
            SELECT COALESCE(sum((xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name), false, true, '')))[1]::text::bigint), 0)
            FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
            """;
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(CountSql, cancellationToken: ct));
    }

    private static Dictionary<string, string?> DeployedSettings()
    {
        var outbox = new OutboxRelayOptions();
        var reconciler = new ReconcilerOptions();
        return new Dictionary<string, string?>
        {
            ["Messaging:Outbox:SweepInterval"] = outbox.SweepInterval.ToString("c", CultureInfo.InvariantCulture),
            ["Messaging:Outbox:SweepMinimumAge"] = outbox.SweepMinimumAge.ToString("c", CultureInfo.InvariantCulture),
            ["Messaging:Outbox:PublishTimeout"] = outbox.PublishTimeout.ToString("c", CultureInfo.InvariantCulture),
            ["Messaging:Outbox:ClaimLease"] = outbox.ClaimLease.ToString("c", CultureInfo.InvariantCulture),
            ["Messaging:RabbitMq:ConnectAttempts"] = new RabbitMqOptions().ConnectAttempts.ToString(CultureInfo.InvariantCulture),
            ["Reconciler:Interval"] = reconciler.Interval.ToString("c", CultureInfo.InvariantCulture),
            ["Reconciler:StalledAfter"] = reconciler.StalledAfter.ToString("c", CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
        };
    }

    private static string ShortName(string name) => name.Split(' ')[0] switch
    {
        ProcessPipeline.ValidationWorker => "validation worker",
        ProcessPipeline.AggregationWorker => "aggregation worker",
        var other => other,
    };
}

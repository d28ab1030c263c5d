using System.Diagnostics;
using System.Globalization;
using Aggregator.Application.Periods;
using Aggregator.Application.Rollups;
using Aggregator.Application.Submissions;
using Aggregator.Application.Units;
using Aggregator.Cli.Demo;
using Aggregator.Storage;
using Aggregator.Storage.Units;
using Aggregator.Testing.Brokers;
using Aggregator.Testing.Databases;
using Aggregator.Testing.Processes;
using Aggregator.Validation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aggregator.Benchmarks.Pipeline;

/// <summary>
/// The aggregation worker's peak memory: one period of the largest size is stored and validated (in this process,
/// over RabbitMQ and PostgreSQL), then for each size a fresh aggregation worker process (the deployed build) builds
/// and renders the rollup of a subtree of that many units, and its peak resident set (VmHWM) is read from /proc.
/// Usage: <c>dotnet run -c Release --project tests/Aggregator.Benchmarks -- rollup-memory [--units 2000,10000]
/// [--env NAME=VALUE]...</c>; the worker must be built first (<c>dotnet build services/Aggregator.Aggregation.Worker -c Release</c>).
/// </summary>
public static class RollupMemoryMeasurement
{
    private const string RabbitMqVariable = "AGGREGATOR_TEST_RABBITMQ";
    private const string WorkerService = "Aggregator.Aggregation.Worker";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    public static async Task<int> RunAsync(string[] args)
    {
        var sizes = Value(args, "--units", "2000,10000").Split(',')
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).Order().Distinct().ToList();
        var environment = Values(args, "--env").Select(e => e.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : string.Empty);
        if (Environment.GetEnvironmentVariable(TestDatabases.PostgresVariable) is not { Length: > 0 }
            || Environment.GetEnvironmentVariable(RabbitMqVariable) is not { Length: > 0 })
        {
            await Console.Error.WriteLineAsync($"Set {TestDatabases.PostgresVariable} and {RabbitMqVariable} (source build/.services.env).");
            return 2;
        }

        try
        {
            ServiceBinaries.Locate(WorkerService);
        }
        catch (InvalidOperationException missing)
        {
            await Console.Error.WriteLineAsync(missing.Message);
            return 2;
        }

        Console.WriteLine($"Aggregation worker peak RSS: subtrees of {string.Join(", ", sizes)} units, {Environment.ProcessorCount} cores"
            + (environment.Count > 0 ? $", worker environment {string.Join(" ", environment.Select(e => $"{e.Key}={e.Value}"))}" : string.Empty));
        Console.WriteLine($"  {"units",8} {"peak RSS (VmHWM)",18} {"RSS at start",14} {"RSS after",12} {"rollup to report",18}");
        await MeasureAsync(sizes, environment, Console.WriteLine, r => Console.WriteLine(
            $"  {r.Units,8} {r.PeakMegabytes,15:0} MB {r.StartMegabytes,11:0} MB {r.AfterMegabytes,9:0} MB {r.Seconds,16:0.0} s"
            + $"  ({r.State}; {r.Included} included, {r.Rejected} rejected, {r.Missing} missing)"), CancellationToken.None);
        return 0;
    }

    /// <summary>
    /// Stores and validates the largest size's period, then rolls up each size's subtree in a fresh aggregation worker
    /// process; <paramref name="measured"/> receives each size's figures as they come, <paramref name="log"/> the steps.
    /// </summary>
    public static async Task<IReadOnlyList<RollupMemoryResult>> MeasureAsync(
        IReadOnlyList<int> sizes, IReadOnlyDictionary<string, string> environment, Action<string> log, Action<RollupMemoryResult> measured, CancellationToken ct)
    {
        var total = sizes[^1];
        var scenario = DistrictScenario.Create(total, seed: 1000, withMistakes: true, missing: total / 100);
        var (registrations, anchors) = Nest(scenario, [.. sizes]);

        await using var database = await TestDatabases.PostgresAsync();
        await using var broker = await TestBroker.CreateAsync(ct);
        var settings = database.Settings.Concat(broker.MessagingSettings()).ToDictionary(p => p.Key, p => p.Value);
        using var seeder = BuildSeeder(settings);
        await seeder.StartAsync(ct);
        var services = seeder.Services;
        (await services.GetRequiredService<UnitRegistry>().UpsertAsync(registrations, Actor.Cli, ct)).ThrowIfFailed();
        var period = (await services.GetRequiredService<PeriodService>().OpenAsync(
            new OpenPeriodRequest(DistrictScenario.Year, DistrictScenario.FormatId, scenario.Root.Code, new DateOnly(2020, 1, 31)), Actor.Cli, ct)).ThrowIfFailed();

        var seeding = Stopwatch.StartNew();
        var intake = services.GetRequiredService<SubmissionIntake>();
        await Parallel.ForEachAsync(scenario.Submissions, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (submission, token) => (await intake.SubmitAsync(period.Id, submission.Document.ToJson(), Submitter.Office(Actor.Cli), false, token)).ThrowIfFailed());
        var completeness = services.GetRequiredService<CompletenessQuery>();
        while ((await completeness.GetAsync(period.Id, ct))!.Units.Count(u => u.Status is not ("received" or "missing")) < scenario.Submissions.Count)
        {
            await Task.Delay(1000, ct);
        }

        log($"  stored and validated {scenario.Submissions.Count} submissions in {seeding.Elapsed.TotalSeconds:0} s");
        var workerSettings = new Dictionary<string, string?>(settings) { ["Logging:LogLevel:Default"] = "Warning" };
        foreach (var (name, value) in environment)
        {
            workerSettings[name] = value;
        }

        var results = new List<RollupMemoryResult>();
        foreach (var (size, anchor) in sizes.Zip(anchors))
        {
            await using var worker = await ServiceProcess.StartAsync(WorkerService, workerSettings, ct);
            var atStart = Status(worker.ProcessId, "VmRSS");
            var stopwatch = Stopwatch.StartNew();
            var rollupId = (await services.GetRequiredService<RollupRequests>().RequestAsync(period.Id, anchor, Actor.Cli, ct)).ThrowIfFailed().RollupId;
            var state = await WaitForRollupAsync(services.GetRequiredService<RollupQuery>(), rollupId, worker, ct);
            var elapsed = stopwatch.Elapsed;
            var view = (await services.GetRequiredService<RollupQuery>().GetAsync(rollupId, ct))!;
            var result = new RollupMemoryResult(
                size, Status(worker.ProcessId, "VmHWM") / 1024.0, atStart / 1024.0, Status(worker.ProcessId, "VmRSS") / 1024.0,
                elapsed.TotalSeconds, state, view.Included.Count, view.Rejected.Count, view.Missing.Count);
            results.Add(result);
            measured(result);
        }

        await seeder.StopAsync(ct);
        return results;
    }

    /// <summary>
    /// Registers the units so that for each size but the largest a unit heads a subtree of exactly that many units,
    /// each subtree inside the next; the largest is the root's. Returns the unit code to roll up per size.
    /// </summary>
    private static (IReadOnlyList<UnitRegistration> Registrations, IReadOnlyList<string> Anchors) Nest(DistrictScenario scenario, List<int> sizes)
    {
        var units = scenario.Units;
        var anchors = sizes.Take(sizes.Count - 1).Select((_, j) => j == 0 ? 0 : sizes[j - 1]).ToList();
        var registrations = new List<UnitRegistration> { new(scenario.Root.Code, scenario.Root.Name, scenario.Root.Kind, null) };
        for (var i = 0; i < units.Count; i++)
        {
            var level = sizes.FindIndex(s => i < s);
            var parent = anchors.IndexOf(i) is var own and >= 0
                ? (own + 1 < anchors.Count ? units[anchors[own + 1]].Code : scenario.Root.Code)
                : level < anchors.Count ? units[anchors[level]].Code : scenario.Root.Code;
            registrations.Add(new UnitRegistration(units[i].Code, units[i].Name, units[i].Kind, parent));
        }

        return (registrations, [.. anchors.Select(i => units[i].Code), scenario.Root.Code]);
    }

    private static IHost BuildSeeder(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddValidationWorker(builder.Configuration);
        return builder.Build();
    }

    private static async Task<string> WaitForRollupAsync(RollupQuery rollups, Guid rollupId, ServiceProcess worker, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < Patience)
        {
            var state = await rollups.GetStateAsync(rollupId, ct);
            if (state?.Status is RollupStatus.Completed)
            {
                return state.Status;
            }

            if (state?.Status is RollupStatus.Failed)
            {
                return $"failed: {state.ErrorCode} {state.Error}";
            }

            if (worker.HasExited)
            {
                throw new InvalidOperationException($"The aggregation worker exited during the rollup:\n{worker.Tail()}");
            }

            await Task.Delay(100, ct);
        }

        throw new TimeoutException($"Rollup {rollupId} did not finish within {Patience}.");
    }

    /// <summary>A line of /proc/PID/status in kB (VmHWM is the peak resident set since the process started).</summary>
    private static long Status(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"/proc/{pid}/status has no {field}.");
    }

    private static string Value(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }

    private static IEnumerable<string> Values(string[] args, string name) =>
        args.Select((a, i) => (a, i)).Where(p => p.a == name && p.i + 1 < args.Length).Select(p => args[p.i + 1]);

    private static T ThrowIfFailed<T>(this Application.Results.Result<T> result) =>
        result.IsSuccess ? result.Value : throw new InvalidOperationException($"{result.Problem.Code}: {result.Problem.Detail}");
}

/// <summary>One size's rollup in a fresh aggregation worker: its memory in MB and the time to the rendered report.</summary>
public sealed record RollupMemoryResult(
    int Units, double PeakMegabytes, double StartMegabytes, double AfterMegabytes, double Seconds, string State, int Included, int Rejected, int Missing);

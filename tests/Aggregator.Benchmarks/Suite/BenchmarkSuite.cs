using System.Globalization;
using Aggregator.Benchmarks.Pipeline;
using Aggregator.Testing.Databases;

namespace Aggregator.Benchmarks.Suite;

/// <summary>
/// Every figure of the performance targets in one run, each beside a baseline measured in the same run: the embedded
/// mode at growing sizes (and its cost exponent), the distributed mode's efficiency against the broker's and the
/// database's raw rates, the district rollup's latency, each service's peak memory, and an exact-sum check.
/// A missed target is a figure like any other; only a part that could not be measured makes the run fail.
/// Usage: <c>Aggregator.Benchmarks suite [--quick] [--out docs/performance.md] [--readme README.md] [--command TEXT]
/// [--only embedded,distributed,memory] [--setting Section:Key=VALUE]... [--distributed-units N]</c>; <c>--setting</c> configures the service
/// processes (e.g. to see what a timer costs), and a run with <c>--only</c> or <c>--setting</c> prints its table without
/// writing any file, as it is not the deployed whole.
/// </summary>
public static class BenchmarkSuite
{
    private const double TargetMegabytes = 200;
    private const double TargetDistrictMilliseconds = 100;
    private const double TargetEfficiency = 0.5;
    private const double LinearExponent = 1.1;

    private static readonly Dictionary<int, double> EmbeddedTargets = new() { [10_000] = 15, [100_000] = 120 };

    private static readonly string[] Flags = ["--quick"];
    private static readonly string[] Valued = ["--out", "--readme", "--command", "--only", "--setting", "--distributed-units"];

    public static async Task<int> RunAsync(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (Valued.Contains(args[i]) && i + 1 < args.Length)
            {
                i++;
            }
            else if (!Flags.Contains(args[i]))
            {
                await Console.Error.WriteLineAsync($"Unknown argument {args[i]}: use --quick, --only embedded,distributed,memory, --setting Section:Key=VALUE, --distributed-units N.");
                return 2;
            }
        }

        var options = args.Contains("--quick") ? SuiteOptions.Quick : SuiteOptions.Full;
        var output = Value(args, "--out");
        var readme = Value(args, "--readme");
        var command = Value(args, "--command") ?? $"Aggregator.Benchmarks suite {string.Join(' ', args)}";
        var only = Value(args, "--only")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var overrides = Values(args, "--setting").Select(e => e.Split('=', 2)).ToDictionary(p => p[0], p => (string?)(p.Length > 1 ? p[1] : string.Empty));
        bool Runs(string part) => only is null || only.Contains(part);
        if (Value(args, "--distributed-units") is { } distributedUnits)
        {
            options = options with { DistributedUnits = int.Parse(distributedUnits, System.Globalization.CultureInfo.InvariantCulture) };
        }

        if (only is not null || overrides.Count > 0 || Value(args, "--distributed-units") is not null)
        {
            output = null;
            readme = null;
        }

        if (Environment.GetEnvironmentVariable(TestDatabases.PostgresVariable) is not { Length: > 0 }
            || Environment.GetEnvironmentVariable("AGGREGATOR_TEST_RABBITMQ") is not { Length: > 0 })
        {
            await Console.Error.WriteLineAsync($"Set {TestDatabases.PostgresVariable} and AGGREGATOR_TEST_RABBITMQ (bash build/services.sh; source build/.services.env).");
            return 2;
        }

        var progress = new Progress((Runs("embedded") ? options.Embedded.Count : 0) + (Runs("distributed") ? 1 : 0) + (Runs("memory") ? 1 : 0));
        var started = DateTimeOffset.UtcNow;
        var loadAtStart = PerformanceReport.LoadAverage();
        var figures = new List<Figure>();
        var notes = new List<string>();
        var broken = new List<string>();
        var ct = CancellationToken.None;

        var embedded = new List<EmbeddedRun>();
        var bench = new EmbeddedBench(progress);
        foreach (var (units, cap) in Runs("embedded") ? options.Embedded : [])
        {
            progress.Step($"embedded: {units} units, register → rendered report (cap {cap.TotalSeconds:0} s)");
            try
            {
                var run = await bench.RunAsync(units, cap, ct);
                embedded.Add(run);
                progress.Line($"    {(run.Seconds is { } s ? Figure.Seconds(s) : run.Failure)}; bare parse + validate + sum {Figure.Seconds(run.BareSeconds)}");
            }
            catch (Exception exception)
            {
                broken.Add($"embedded {units} units: {exception.Message}");
                progress.Line($"    broke: {exception}");
            }
        }

        var checkedRun = embedded.Where(r => r.Sums is not null).MaxBy(r => r.Units);
        if (Runs("embedded"))
        {
            figures.AddRange(EmbeddedFigures(embedded));
            figures.Add(SumFigure(checkedRun, options.SumCheckUnits));
        }

        if (checkedRun?.Sums is { } sums)
        {
            notes.Add($"Sum check at {checkedRun.Units} units: {sums.Units} units in the rollup, {sums.Cells} cells compared with the independent sum of what the "
                + $"accepted units meant; {sums.Excluded.Count} units broken on purpose excluded ({Listed(sums.Excluded)})"
                + (sums.FirstDifference is { } difference ? $"; first difference: {difference}" : "; every cell equal, and the rollup rejected exactly those units") + ".");
        }

        if (Runs("distributed"))
        {
            await DistributedAsync(options, overrides, progress, figures, notes, broken, ct);
        }

        if (Runs("memory"))
        {
            await MemoryAsync(options, overrides, progress, figures, broken, ct);
        }

        var report = new PerformanceReport(options.Mode, command, started, progress.Elapsed, figures, notes, broken)
        {
            Load = (loadAtStart, PerformanceReport.LoadAverage()),
        };
        Console.WriteLine();
        Console.WriteLine(report.PlainText());
        if (broken.Count > 0)
        {
            await Console.Error.WriteLineAsync($"[bench] {broken.Count} part(s) could not be measured; {output ?? "no file"} left unchanged:\n  " + string.Join("\n  ", broken));
            return 1;
        }

        if (output is not null)
        {
            await File.WriteAllTextAsync(output, report.Markdown(), ct);
            Console.WriteLine($"[bench] table written to {output}");
        }

        if (readme is not null && await report.QuoteInAsync(readme, ct))
        {
            Console.WriteLine($"[bench] table quoted in {readme}");
        }

        return 0;
    }

    private static async Task DistributedAsync(
        SuiteOptions options, IReadOnlyDictionary<string, string?> overrides, Progress progress, List<Figure> figures, List<string> notes, List<string> broken, CancellationToken ct)
    {
        progress.Step($"distributed: API and workers as processes, {options.DistributedUnits} units, district rollup × {options.DistrictRuns}, raw baselines");
        try
        {
            var run = await new DistributedBench(progress, overrides).RunAsync(options.DistributedUnits, options.DistrictRuns, options.BrokerMessages, options.CopySubmissions, ct);
            figures.AddRange(DistributedFigures(run));
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"Distributed bound: broker {run.BrokerMessagesPerSecond:0} msg/s ÷ {run.MessagesPerSubmission:0.00} messages delivered per submission ({run.PublishedPerSubmission:0.00} published) = {run.BrokerBound:0}/s; ")
                + string.Create(CultureInfo.InvariantCulture, $"COPY {run.CopyRowsPerSecond:0} rows/s ÷ {run.RowsPerSubmission:0.0} rows stored per submission = {run.DatabaseBound:0}/s; bound = {run.Bound:0} submissions/s. ")
                + "Messages are counted from the RabbitMQ management API's statistics of the run's own virtual host, rows by counting every table of the run's own database before and after.");
        }
        catch (Exception exception)
        {
            broken.Add($"distributed: {exception.Message}");
            progress.Line($"    broke: {exception}");
        }
    }

    private static async Task MemoryAsync(
        SuiteOptions options, IReadOnlyDictionary<string, string?> overrides, Progress progress, List<Figure> figures, List<string> broken, CancellationToken ct)
    {
        progress.Step($"rollup-memory: a fresh aggregation worker process rolls up {string.Join(", ", options.MemorySizes)} units");
        try
        {
            var results = await RollupMemoryMeasurement.MeasureAsync(
                options.MemorySizes, overrides.ToDictionary(p => p.Key, p => p.Value ?? string.Empty), text => progress.Line("  " + text),
                r => progress.Line($"    {r.Units} units: peak {r.PeakMegabytes:0} MB, {Figure.Seconds(r.Seconds)} ({r.State})"), ct);
            figures.AddRange(results.Select(r => new Figure(
                $"RSS aggregation worker, rollup-memory run ({r.Units} units)",
                $"{r.PeakMegabytes:0} MB", $"< {TargetMegabytes:0} MB", $"{r.StartMegabytes:0} MB at start", Figure.Times(r.PeakMegabytes / r.StartMegabytes),
                r.PeakMegabytes < TargetMegabytes)));
        }
        catch (Exception exception)
        {
            broken.Add($"rollup-memory: {exception.Message}");
            progress.Line($"    broke: {exception}");
        }
    }

    private static IEnumerable<Figure> EmbeddedFigures(List<EmbeddedRun> runs)
    {
        foreach (var run in runs)
        {
            var target = EmbeddedTargets.TryGetValue(run.Units, out var seconds) ? $"< {seconds:0} s" : "–";
            yield return new Figure(
                $"embedded {run.Units} units ({run.Submissions} submissions), register → rendered report",
                run.Seconds is { } s ? Figure.Seconds(s) : run.Failure!,
                target,
                $"bare parse + validate + sum {Figure.Seconds(run.BareSeconds)}",
                run.Seconds is { } t ? Figure.Times(t / run.BareSeconds) : "–",
                EmbeddedTargets.ContainsKey(run.Units) ? run.Seconds < seconds : null);
        }

        var exponent = EmbeddedBench.Exponent(runs);
        var finished = runs.Where(r => r.Seconds is not null).Select(r => r.Units.ToString(CultureInfo.InvariantCulture)).ToList();
        var all = finished.Count == runs.Count;
        // With a size past its cap the slope of the smaller ones says nothing about the larger: it is shown, not judged.
        yield return new Figure(
            $"embedded cost exponent (log-log slope over {(finished.Count > 0 ? string.Join(", ", finished) : "no")} units{(all ? string.Empty : "; larger sizes did not finish")})",
            exponent is { } e ? Figure.Number(e, "0.00") : "n/a (fewer than two sizes finished)",
            $"≤ {LinearExponent:0.0} (linear)",
            "bare computation: 1.00 by construction",
            "–",
            exponent is { } x && all ? x <= LinearExponent : exponent is null ? false : null);
    }

    private static Figure SumFigure(EmbeddedRun? run, int wanted)
    {
        if (run?.Sums is not { } sums)
        {
            return new Figure($"sums equal ({wanted} units)", "not checked: no rollup finished", "yes", "independent sum of intended values", "–", false);
        }

        var label = run.Units == wanted ? $"sums equal ({run.Units} units)" : $"sums equal ({run.Units} units; {wanted} did not finish)";
        return new Figure(label, sums.Equal ? "yes" : "no", "yes",
            $"independent sum, {sums.Excluded.Count} broken units excluded", "–", sums.Equal && run.Units == wanted);
    }

    private static IEnumerable<Figure> DistributedFigures(DistributedRun run)
    {
        var inv = CultureInfo.InvariantCulture;
        yield return new Figure(
            $"distributed end-to-end ({run.Submissions} submissions, HTTP → validated)",
            string.Create(inv, $"{run.SubmissionsPerSecond:0} submissions/s"), "–",
            string.Create(inv, $"bound {run.Bound:0}/s"), Figure.Number(run.Efficiency, "0.00"), null);
        yield return new Figure(
            "distributed efficiency = e2e ÷ bound",
            Figure.Number(run.Efficiency, "0.00"), $"≥ {TargetEfficiency:0.0}",
            string.Create(inv, $"min(broker {run.BrokerBound:0}/s, database {run.DatabaseBound:0}/s)"), "–",
            run.Efficiency >= TargetEfficiency);
        yield return new Figure(
            "broker: raw RabbitMQ.Client publish + consume, durable, confirms",
            string.Create(inv, $"{run.BrokerMessagesPerSecond:0} msg/s"), "–",
            string.Create(inv, $"{run.MessagesPerSubmission:0.00} msg delivered per submission"), string.Create(inv, $"{run.BrokerBound:0} submissions/s"), null);
        yield return new Figure(
            $"database: binary COPY of cell rows, {CopyBaseline.RowsPerCommit} rows per transaction",
            string.Create(inv, $"{run.CopyRowsPerSecond:0} rows/s"), "–",
            string.Create(inv, $"{run.RowsPerSubmission:0.0} rows stored per submission"), string.Create(inv, $"{run.DatabaseBound:0} submissions/s"), null);
        var sorted = run.DistrictMilliseconds.Order().ToList();
        var p50 = Percentile(sorted, 0.50);
        var p95 = Percentile(sorted, 0.95);
        yield return new Figure(
            $"district rollup (41 units) request → rendered report, p50 of {sorted.Count}",
            Figure.Milliseconds(p50), $"< {TargetDistrictMilliseconds:0} ms",
            $"bare sum + render {Figure.Milliseconds(run.DistrictBareMilliseconds)}", Figure.Times(p50 / run.DistrictBareMilliseconds),
            p50 < TargetDistrictMilliseconds);
        yield return new Figure(
            $"district rollup (41 units), p95 of {sorted.Count}",
            Figure.Milliseconds(p95), "–",
            $"bare sum + render {Figure.Milliseconds(run.DistrictBareMilliseconds)}", Figure.Times(p95 / run.DistrictBareMilliseconds), null);
        if (run.DistrictBreakdown is { } split)
        {
            yield return new Figure(
                "district rollup, median split: request stored → sums stored / → HTML report stored / HTTP and seeing it",
                string.Create(inv, $"{split.Build:0} / {split.Render:0} / {split.Remainder:0} ms"), "–",
                $"bare sum + render {Figure.Milliseconds(run.DistrictBareMilliseconds)}", "–", null);
        }
        yield return new Figure(
            $"distributed rollup of the whole tree ({run.WholeRollupUnits} units) → rendered report",
            run.WholeRollupSeconds is { } w ? Figure.Seconds(w) : "failed", "–", "–", "–", run.WholeRollupSeconds is null ? false : null);
        if (run.CpuSeconds.Count > 0)
        {
            var total = run.CpuSeconds.Sum(p => p.Seconds);
            var available = run.ThroughputSeconds * Environment.ProcessorCount;
            yield return new Figure(
                "processor time per submission, throughput phase: " + string.Join(" / ", run.CpuSeconds.Select(p => p.Process)),
                string.Join(" / ", run.CpuSeconds.Select(p => Figure.Number(p.Seconds * 1000 / run.Submissions, "0.00"))) + " ms",
                "–",
                string.Create(inv, $"{available * 1000 / run.Submissions:0.00} ms of {Environment.ProcessorCount} cores' wall time per submission"),
                Figure.Times(total / available),
                null);
        }

        foreach (var service in run.Memory)
        {
            yield return new Figure(
                $"RSS {service.Service}, distributed run ({run.Submissions} submissions)",
                $"{service.PeakMegabytes:0} MB", $"< {TargetMegabytes:0} MB", $"{service.StartMegabytes:0} MB once ready",
                Figure.Times(service.PeakMegabytes / service.StartMegabytes), service.PeakMegabytes < TargetMegabytes);
        }
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static string Listed(IReadOnlyList<string> units) =>
        units.Count <= 12 ? string.Join(", ", units) : $"{string.Join(", ", units.Take(12))}, … {units.Count - 12} more";

    private static IEnumerable<string> Values(string[] args, string name) =>
        args.Select((a, i) => (a, i)).Where(p => p.a == name && p.i + 1 < args.Length).Select(p => args[p.i + 1]);

    private static string? Value(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}

using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Aggregator.Benchmarks.Suite;

/// <summary>The suite's table as plain text for the console and as Markdown for docs/performance.md and the README.</summary>
public sealed class PerformanceReport(
    string mode, string command, DateTimeOffset started, TimeSpan duration, IReadOnlyList<Figure> figures, IReadOnlyList<string> notes, IReadOnlyList<string> broken)
{
    /// <summary>The 1-minute load average when the run started and when it ended, to show how busy the machine was.</summary>
    public (string Start, string End) Load { get; init; } = (LoadAverage(), LoadAverage());

    public const string QuoteStart = "<!-- performance-table:start (written by build/bench.sh) -->";
    public const string QuoteEnd = "<!-- performance-table:end -->";
    private static readonly string[] Header = ["figure", "value", "target", "baseline (same run)", "ratio", "verdict"];

    public string Machine => string.Create(CultureInfo.InvariantCulture,
        $"{Environment.ProcessorCount} cores, {CpuModel()}, {MemoryGigabytes():0.0} GB RAM, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");

    public string PlainText()
    {
        var rows = Rows().ToList();
        var widths = Enumerable.Range(0, Header.Length).Select(i => rows.Prepend(Header).Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Performance ({mode} mode, {started:yyyy-MM-dd HH:mm} UTC, {Machine}; {duration.TotalMinutes:0.0} min; load average {Load.Start} → {Load.End})");
        foreach (var row in rows.Prepend(Header))
        {
            text.AppendLine(string.Join(" | ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }

        foreach (var note in notes)
        {
            text.AppendLine("  " + note);
        }

        foreach (var failure in broken)
        {
            text.AppendLine("  NOT MEASURED: " + failure);
        }

        return text.ToString();
    }

    /// <summary>The whole of docs/performance.md.</summary>
    public string Markdown()
    {
        var text = new StringBuilder();
        text.AppendLine("# Performance");
        text.AppendLine();
        text.AppendLine("Written by `build/bench.sh`; do not edit by hand, run it again. The targets are those of issue 9 (national scale).");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- Date: {started:yyyy-MM-dd HH:mm} UTC; the run took {duration.TotalMinutes:0.0} minutes ({mode} mode).");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Command: `{command}`");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {Machine}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Load average (1 minute): {Load.Start} when the run started, {Load.End} when it ended.");
        text.AppendLine("- The machine is shared with other builds and noisy: absolute figures move from run to run. Read each figure against its "
            + "baseline, measured in the same run on the same machine (ratio = value ÷ baseline); the targets are absolute, for this 2-core machine.");
        text.AppendLine();
        text.Append(Table());
        text.AppendLine();
        text.AppendLine("## How each figure is measured");
        text.AppendLine();
        text.AppendLine("- **embedded**: the `demo --tree --units N` scenario (a generated city or province of districts, broken units included) "
            + "through the embedded pipeline in the benchmark's process (in-memory bus, SQLite file): start, register the units, open the "
            + "period, submit, wait for validation, request the rollup, read every rendered report (HTML, Markdown, Word, Excel, both editions). "
            + "Each size has a time cap; a run past it is reported as \"did not finish in X s\". Baseline: the same documents parsed, validated "
            + "and summed by the core alone (no I/O). The exponent is the least-squares slope of log(time) over log(units) of the sizes that finished.");
        text.AppendLine("- **distributed**: the API, a validation worker and an aggregation worker as separate processes (`dotnet Service.dll`), over "
            + "RabbitMQ (a virtual host of the run's own) and PostgreSQL (a database of the run's own). End-to-end = submissions ÷ time from the first "
            + "HTTP POST to the last stored validation outcome, 8 concurrent clients. Bound = min(broker msg/s ÷ messages per submission, database "
            + "rows/s ÷ rows per submission), both rates measured after the services stop, on the same broker and database: raw RabbitMQ.Client "
            + "publish + consume of 1 KB persistent messages with publisher confirms on a durable queue, and binary COPY into a table shaped like "
            + "`cell_values` in transactions of 10,000 rows (the database's rate for rows, not for commits). Messages per submission are the deliveries counted by the RabbitMQ management "
            + "API for the virtual host during the throughput phase; rows per submission are the rows added to every table of the database in that phase.");
        text.AppendLine("  The services run with their deployed defaults (outbox sweep every 5 s for rows older than 2 s, reconciler every "
            + "minute), logging at Warning; only intake's rate limit is off, as the load comes from one client.");
        text.AppendLine("  Processor time per submission: user + system time (`/proc/<pid>/stat`) each process used during the throughput phase, "
            + "÷ submissions: the API, each worker, every PostgreSQL process and RabbitMQ's `beam.smp` (counted by name), and the benchmark's own "
            + "HTTP clients. Its baseline is the wall time of both cores per submission; the ratio is the share of the machine that was busy.");
        text.AppendLine("- **district rollup**: the 41-unit district (`demo`'s scenario) submitted through the API, then rollups requested one after another, "
            + "each timed from `POST /periods/{id}/rollups` until its HTML report downloads (polled every 10 ms); three warm-up runs are not counted. "
            + "Baseline: the core's summation of the same tables and rendering HTML and Markdown, no I/O.");
        text.AppendLine("- **RSS**: peak resident set (VmHWM from `/proc/<pid>/status`) of each service process at the end of the distributed run, and of a "
            + "fresh aggregation worker process rolling up a stored period of the given size (`rollup-memory`); baseline: the process's resident set once ready. In the default "
            + "mode the distributed run is the 10⁵-unit tree (registration, throughput and its whole-tree rollup), so its peaks are the 10⁵-unit figures; rollup-memory isolates one rollup.");
        text.AppendLine("- **sums equal**: the largest embedded rollup's consolidated values against a sum the benchmark computes itself from the numbers "
            + "each generated unit meant (not from its document's text, nor through the core), over the units not broken on purpose; the units the "
            + "rollup rejected must be exactly the broken ones.");
        if (notes.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("## Notes of this run");
            text.AppendLine();
            foreach (var note in notes)
            {
                text.AppendLine("- " + note);
            }
        }

        return text.ToString();
    }

    /// <summary>Replaces the table between the README's markers, if it has them; false when it has none.</summary>
    public async Task<bool> QuoteInAsync(string readme, CancellationToken ct)
    {
        var text = await File.ReadAllTextAsync(readme, ct);
        var start = text.IndexOf(QuoteStart, StringComparison.Ordinal);
        var end = text.IndexOf(QuoteEnd, StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            return false;
        }

        var quoted = new StringBuilder()
            .AppendLine(QuoteStart)
            .AppendLine(CultureInfo.InvariantCulture, $"Measured {started:yyyy-MM-dd} with `{command}` on {Environment.ProcessorCount} cores ({CpuModel()}), a shared, noisy machine "
                + $"(load average {Load.Start} → {Load.End}); read each figure against its same-run baseline:")
            .AppendLine()
            .Append(Table())
            .ToString();
        await File.WriteAllTextAsync(readme, text[..start] + quoted + text[end..], ct);
        return true;
    }

    private string Table()
    {
        var text = new StringBuilder();
        text.AppendLine("| " + string.Join(" | ", Header) + " |");
        text.AppendLine("|" + string.Concat(Header.Select(_ => "---|")));
        foreach (var row in Rows())
        {
            text.AppendLine("| " + string.Join(" | ", row.Select(cell => cell.Replace("|", "\\|", StringComparison.Ordinal))) + " |");
        }

        foreach (var failure in broken)
        {
            text.AppendLine($"| not measured: {failure.Replace("|", "\\|", StringComparison.Ordinal)} | | | | | broke |");
        }

        return text.ToString();
    }

    private IEnumerable<string[]> Rows() =>
        figures.Select(f => new[] { f.Name, f.Value, f.Target, f.Baseline, f.Ratio, f.Verdict });

    /// <summary>The 1-minute load average from /proc/loadavg, or "unknown".</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) is { } line
                ? line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()
                : RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }

    private static double MemoryGigabytes()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            return long.Parse(line["MemTotal:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0 / 1024.0;
        }
        catch (Exception exception) when (exception is IOException or InvalidOperationException or FormatException)
        {
            return 0;
        }
    }
}

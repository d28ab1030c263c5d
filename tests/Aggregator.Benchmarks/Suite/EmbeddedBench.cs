using System.Diagnostics;
using System.Globalization;
using Aggregator.Cli.Demo;
using Aggregator.Cli.Hosting;
using Aggregator.Core.Forms;
using Aggregator.Core.Rules;
using Aggregator.Core.Summation;
using Aggregator.Core.Values;

namespace Aggregator.Benchmarks.Suite;

/// <summary>The consolidated values of a rollup against an independent sum of what the accepted units meant.</summary>
/// <param name="Excluded">The units generated broken on purpose (and so left out of the expected sum).</param>
/// <param name="Rejected">The units the rollup lists as rejected.</param>
/// <param name="FirstDifference">The first cell that differs, or a difference in who was excluded; null when equal.</param>
public sealed record SumCheck(int Units, int Cells, IReadOnlyList<string> Excluded, IReadOnlyList<string> Rejected, string? FirstDifference)
{
    public bool Equal => FirstDifference is null;
}

/// <summary>One embedded run: <paramref name="Seconds"/> is null when it did not finish (<paramref name="Failure"/> says why).</summary>
public sealed record EmbeddedRun(int Units, int Submissions, double? Seconds, double BareSeconds, double Cap, string? Failure, SumCheck? Sums);

/// <summary>
/// The embedded mode on a generated tree (<c>demo --tree --units N</c>'s scenario and code path: in-memory bus,
/// SQLite, register → submit → validate → rollup → every rendered report), in this process, beside the bare
/// computation of the same units (parse, validate, sum in the core, no I/O).
/// </summary>
public sealed class EmbeddedBench(Progress progress)
{
    private const int Seed = 2019;

    public async Task<EmbeddedRun> RunAsync(int units, TimeSpan cap, CancellationToken ct)
    {
        var scenario = TreeScenario.Create(units, Seed);
        var documents = scenario.Submissions.Select(s => new UnitDocument(s.Unit.Code, s.Document)).ToList();
        // The better of two runs: the first also pays for JIT compilation, and the machine is shared.
        var bareSeconds = Math.Min(Bare(scenario), Bare(scenario));
        GC.Collect();

        var path = Path.Combine(Path.GetTempPath(), $"aggregator-bench-{Guid.NewGuid():N}.db");
        using var capped = CancellationTokenSource.CreateLinkedTokenSource(ct);
        capped.CancelAfter(cap);
        var inner = progress.Throttled(TimeSpan.FromSeconds(10));
        PipelineStep? last = null;
        var steps = new SynchronousProgress(step =>
        {
            last = step;
            inner.Report($"{units} units: {StageName(step.Stage)} {step.Done}/{step.Total}");
        });
        var stopwatch = Stopwatch.StartNew();
        try
        {
            PipelineRunResult result;
            await using (var pipeline = await EmbeddedPipeline.StartAsync(path, capped.Token))
            {
                result = await new PipelineRun(pipeline, steps).RunAsync(
                    scenario.Registrations, scenario.Root.Code, DistrictScenario.FormatId, DistrictScenario.Year,
                    documents, lenient: false, cap + TimeSpan.FromMinutes(1), capped.Token);
            }

            var seconds = stopwatch.Elapsed.TotalSeconds;
            return new EmbeddedRun(scenario.Leaves.Count, documents.Count, seconds, bareSeconds, cap.TotalSeconds, null, Check(scenario, result));
        }
        catch (OperationCanceledException) when (capped.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return new EmbeddedRun(scenario.Leaves.Count, documents.Count, null, bareSeconds, cap.TotalSeconds,
                string.Create(CultureInfo.InvariantCulture, $"did not finish in {cap.TotalSeconds:0} s{(last is { } at ? $" ({StageName(at.Stage)} {at.Done}/{at.Total})" : string.Empty)}"), null);
        }
        catch (PipelineFailedException failed)
        {
            return new EmbeddedRun(scenario.Leaves.Count, documents.Count, null, bareSeconds, cap.TotalSeconds, $"failed: {failed.Code ?? failed.Message}", null);
        }
        finally
        {
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }

            GC.Collect();
        }
    }

    /// <summary>
    /// The least-squares slope of log(seconds) over log(units): 1 is linear. Null with fewer than two finished sizes.
    /// </summary>
    public static double? Exponent(IReadOnlyList<EmbeddedRun> runs)
    {
        var points = runs.Where(r => r.Seconds is > 0).Select(r => (X: Math.Log(r.Units), Y: Math.Log(r.Seconds!.Value))).ToList();
        if (points.Select(p => p.X).Distinct().Count() < 2)
        {
            return null;
        }

        var meanX = points.Average(p => p.X);
        var meanY = points.Average(p => p.Y);
        return points.Sum(p => (p.X - meanX) * (p.Y - meanY)) / points.Sum(p => (p.X - meanX) * (p.X - meanX));
    }

    /// <summary>Parse, validate and sum the same documents in the core, as the pipeline's consumers would, without I/O.</summary>
    private static double Bare(TreeScenario scenario)
    {
        var texts = scenario.Submissions.Select(s => s.Document.ToJson()).ToList();
        var form = FormCatalog.Default.Get(DistrictScenario.FormatId);
        var stopwatch = Stopwatch.StartNew();
        var accepted = new List<RollupInput>(texts.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            var result = SubmissionValidator.Default.Validate(SubmissionDocument.Parse(texts[i]));
            if (result.Outcome != ValidationOutcome.Rejected)
            {
                accepted.Add(new RollupInput(i.ToString(CultureInfo.InvariantCulture), result.Table));
            }
        }

        _ = RollupCalculator.Sum(form, accepted);
        return stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// The expected sums come from the numbers each generated unit meant (not from its document's text, nor from
    /// the core), over the units not broken on purpose.
    /// </summary>
    private static SumCheck Check(TreeScenario scenario, PipelineRunResult result)
    {
        var expected = scenario.Submissions.Where(s => s.ShouldBeAccepted).SelectMany(s => s.IntendedValues)
            .GroupBy(v => v.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(v => v.Value), StringComparer.Ordinal);
        var actual = result.Rollup.Values;
        var excluded = scenario.Submissions.Where(s => !s.ShouldBeAccepted).Select(s => s.Unit.Code).Order(StringComparer.Ordinal).ToList();
        var rejected = result.Rollup.Rejected.Select(r => r.UnitCode).Order(StringComparer.Ordinal).ToList();
        string? difference = null;
        foreach (var (cell, sum) in expected.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!actual.TryGetValue(cell, out var value))
            {
                difference = $"cell {cell}: expected {sum}, absent from the rollup";
                break;
            }

            if (value != sum)
            {
                difference = $"cell {cell}: expected {sum}, the rollup has {value}";
                break;
            }
        }

        difference ??= actual.Keys.FirstOrDefault(k => !expected.ContainsKey(k)) is { } extra ? $"cell {extra}: in the rollup, no accepted unit wrote it" : null;
        difference ??= excluded.SequenceEqual(rejected, StringComparer.Ordinal)
            ? null
            : $"broken units {excluded.Count}, the rollup rejected {rejected.Count} ({string.Join(", ", excluded.Except(rejected).Concat(rejected.Except(excluded)).Take(5))} differ)";
        return new SumCheck(result.Rollup.Included.Count + rejected.Count, expected.Count, excluded, rejected, difference);
    }

    private static string StageName(PipelineStage stage) => stage switch
    {
        PipelineStage.Submitting => "submitting",
        PipelineStage.Validating => "validating",
        PipelineStage.RollingUp => "rolling up and rendering",
        _ => "done",
    };

    private sealed class SynchronousProgress(Action<PipelineStep> report) : IProgress<PipelineStep>
    {
        public void Report(PipelineStep value) => report(value);
    }
}

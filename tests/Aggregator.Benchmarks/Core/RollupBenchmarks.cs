using Aggregator.Core.Rules;
using Aggregator.Core.Summation;
using Aggregator.Core.Values;
using BenchmarkDotNet.Attributes;

namespace Aggregator.Benchmarks.Core;

/// <summary>Summing 10⁴ full fmt_2019 tables. The baseline adds the same numbers as plain long arrays.</summary>
[MemoryDiagnoser]
public class RollupBenchmarks
{
    private const int Units = 10_000;

    private RollupInput[] _inputs = null!;
    private long[][] _arrays = null!;

    [GlobalSetup]
    public void Setup()
    {
        // A few hundred distinct tables repeated: enough variety, and setup stays quick.
        var distinct = Enumerable.Range(0, 256).Select(Fmt2019Tables.Table).ToArray();
        _inputs = [.. Enumerable.Range(0, Units).Select(i => new RollupInput($"unit-{i:D5}#1", distinct[i % distinct.Length]))];
        _arrays = [.. _inputs.Select(i => i.Table.Form.Cells.Select(c => (long)((i.Table.GetValue(c.Index) ?? 0m) * 1_000_000m)).ToArray())];
        if (!RuleEvaluator.HasNoErrors(RollupCalculator.Sum(Fmt2019Tables.Form, _inputs).Total))
        {
            throw new InvalidOperationException("The sum of valid tables must be valid.");
        }
    }

    [Benchmark(Baseline = true, Description = "baseline: add 10^4 long arrays")]
    public long AddArrays()
    {
        var sums = new long[_arrays[0].Length];
        foreach (var values in _arrays)
        {
            for (var i = 0; i < sums.Length; i++)
            {
                sums[i] += values[i];
            }
        }

        return sums[0];
    }

    [Benchmark(Description = "RollupCalculator.Sum of 10^4 tables")]
    public NormalizedTable Sum() => RollupCalculator.Sum(Fmt2019Tables.Form, _inputs).Total;

    [Benchmark(Description = "sum 10^4 tables and validate the total")]
    public int SumAndValidate() => RuleEvaluator.Evaluate(RollupCalculator.Sum(Fmt2019Tables.Form, _inputs).Total).Count;
}

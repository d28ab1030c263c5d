using System.Text.RegularExpressions;
using Aggregator.Core.Rules;
using Aggregator.Core.Values;
using BenchmarkDotNet.Attributes;

namespace Aggregator.Benchmarks.Core;

/// <summary>
/// Validating one full fmt_2019 table. The baseline adds up, from a plain array, exactly the cell values that the
/// form's expanded rules refer to — the arithmetic the rule engine cannot avoid.
/// </summary>
[MemoryDiagnoser]
public partial class ValidationBenchmarks
{
    private NormalizedTable _table = null!;
    private SubmissionDocument _document = null!;
    private string _json = null!;
    private long[] _values = null!;
    private int[][] _ruleTerms = null!;

    [GlobalSetup]
    public void Setup()
    {
        _table = Fmt2019Tables.Table(seed: 7);
        _document = Fmt2019Tables.Document(seed: 7);
        _json = _document.ToJson();
        if (RuleEvaluator.Evaluate(_table).Count != 0 || SubmissionValidator.Default.Validate(_document).Outcome != ValidationOutcome.Accepted)
        {
            throw new InvalidOperationException("The benchmark table must be valid.");
        }

        var form = _table.Form;
        _values = [.. form.Cells.Select(c => (long)((_table.GetValue(c.Index) ?? 0m) * 1_000_000m))];
        _ruleTerms = [.. form.Rules
            .Where(r => r.Expression is not null && !r.IsCrossYear)
            .SelectMany(r => Expand(r.Expression!, r.ForEach))
            .Select(e => CellId().Matches(e).Select(m => form.GetCell(m.Value).Index).ToArray())];
    }

    [Benchmark(Baseline = true, Description = "baseline: add the rules' cells from an array")]
    public long AddRuleCells()
    {
        long total = 0;
        var values = _values;
        foreach (var terms in _ruleTerms)
        {
            long sum = 0;
            foreach (var index in terms)
            {
                sum += values[index];
            }

            total += sum;
        }

        return total;
    }

    [Benchmark(Description = "rules on a normalised table")]
    public int EvaluateRules() => RuleEvaluator.Evaluate(_table).Count;

    [Benchmark(Description = "read text cells, normalise and check rules")]
    public ValidationOutcome NormalizeAndValidate() => SubmissionValidator.Default.Validate(_document).Outcome;

    [Benchmark(Description = "parse JSON, normalise and check rules")]
    public ValidationOutcome ParseNormalizeAndValidate() => SubmissionValidator.Default.Validate(SubmissionDocument.Parse(_json)).Outcome;

    private static IEnumerable<string> Expand(string expression, IReadOnlyDictionary<string, IReadOnlyList<string>> forEach)
    {
        IEnumerable<string> expressions = [expression];
        foreach (var (name, values) in forEach)
        {
            expressions = expressions.SelectMany(e => values.Select(v => e.Replace("{" + name + "}", v, StringComparison.Ordinal))).ToList();
        }

        return expressions;
    }

    [GeneratedRegex(@"[a-z][a-z0-9_]*\.[a-z0-9_]+\.[a-z0-9_]+")]
    private static partial Regex CellId();
}

using System.Text.RegularExpressions;
using Aggregator.Core.Forms;
using Aggregator.Core.Rules;
using Aggregator.Core.Summation;
using Aggregator.Core.Tests.Support;
using Aggregator.Core.Values;
using CsCheck;

namespace Aggregator.Core.Tests.Rules;

public sealed partial class RulePropertyTests
{
    public static TheoryData<string> FormatIds => new("stat_pre2019", "fmt_2019", "fmt_2021");

    [Theory]
    [MemberData(nameof(FormatIds))]
    public void Generated_tables_satisfy_every_rule(string formatId)
    {
        var form = FormCatalog.Default.Get(formatId);

        ValidTables.For(form).Sample(
            table => Assert.Empty(RuleEvaluator.Evaluate(table)),
            iter: 200);
    }

    [Theory]
    [MemberData(nameof(FormatIds))]
    public void The_sum_of_valid_tables_is_valid(string formatId)
    {
        var form = FormCatalog.Default.Get(formatId);

        ValidTables.For(form).Array[1, 8].Sample(
            tables =>
            {
                var rollup = RollupCalculator.Sum(form, tables.Select((t, i) => new RollupInput($"unit-{i}", t)));
                Assert.Empty(RuleEvaluator.Evaluate(rollup.Total));
            },
            iter: 100);
    }

    [Theory]
    [MemberData(nameof(FormatIds))]
    public void Changing_any_cell_of_a_balance_rule_is_caught_as_an_error(string formatId)
    {
        var form = FormCatalog.Default.Get(formatId);
        var cells = CellsOfEqualityErrorRules(form);
        Assert.NotEmpty(cells);

        Gen.Select(ValidTables.For(form), Gen.Int[0, cells.Count - 1], Gen.Int[1, 5], Gen.Bool).Sample(
            (table, pick, delta, down) =>
            {
                var cellId = cells[pick];
                var old = table.GetValue(cellId) ?? 0m;
                var changed = down && old >= delta ? old - delta : old + delta;

                var violations = RuleEvaluator.Evaluate(table.WithValue(cellId, changed));

                Assert.Contains(violations, v => v.Severity == Severity.Error && v.Cells.Any(c => c.CellId == cellId));
            },
            iter: 300);
    }

    // Read from the rule texts themselves (not from the engine), so the property does not trust what it tests.
    private static List<string> CellsOfEqualityErrorRules(FormDefinition form)
    {
        var cells = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var rule in form.Rules.Where(r => r.Severity == Severity.Error && r.Expression?.Contains("==", StringComparison.Ordinal) == true))
        {
            IEnumerable<string> expressions = [rule.Expression!];
            foreach (var (name, values) in rule.ForEach)
            {
                expressions = expressions.SelectMany(e => values.Select(v => e.Replace("{" + name + "}", v, StringComparison.Ordinal))).ToList();
            }

            foreach (var expression in expressions)
            {
                cells.UnionWith(CellId().Matches(expression).Select(m => m.Value));
            }
        }

        return [.. cells];
    }

    [GeneratedRegex(@"[a-z][a-z0-9_]*\.[a-z0-9_]+\.[a-z0-9_]+")]
    private static partial Regex CellId();
}

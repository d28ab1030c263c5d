using System.Text.RegularExpressions;
using Aggregator.Core.Forms;

namespace Aggregator.Reporting.Workbooks;

/// <summary>A cell a rule says must equal the sum of other cells: （七）总计, a row's 总计, 收到申请数 ….</summary>
internal sealed record ExpectedTotal(string RuleId, string TargetId, IReadOnlyList<string> SourceIds);

/// <summary>
/// Finds the totals a template can compute for the department from the form's own rules, so the formulas follow the
/// form file instead of a second list kept by hand: every rule of the shape <c>cell == a + b + …</c> or
/// <c>cell == sum(a, b, …)</c>, expanded over its <c>for_each</c> values.
/// </summary>
internal static partial class ExpectedTotals
{
    public static IReadOnlyList<ExpectedTotal> Of(FormDefinition form)
    {
        var totals = new List<ExpectedTotal>();
        foreach (var rule in form.Rules.Where(r => r.Expression is not null && !r.IsCrossYear))
        {
            foreach (var expression in Expand(rule.Expression!, rule.ForEach))
            {
                var match = SumRule().Match(expression.Trim());
                if (!match.Success)
                {
                    continue;
                }

                var target = match.Groups["target"].Value;
                var sources = CellId().Matches(match.Groups["sources"].Value).Select(m => m.Value).ToList();
                if (form.TryGetCell(target, out _) && sources.Count > 1 && sources.All(s => form.TryGetCell(s, out _)))
                {
                    totals.Add(new ExpectedTotal(rule.Id, target, sources));
                }
            }
        }

        return totals;
    }

    private static IEnumerable<string> Expand(string expression, IReadOnlyDictionary<string, IReadOnlyList<string>> forEach)
    {
        IEnumerable<string> expanded = [expression];
        foreach (var (placeholder, values) in forEach)
        {
            var token = "{" + placeholder + "}";
            expanded = expanded.SelectMany(e => values.Select(v => e.Replace(token, v, StringComparison.Ordinal))).ToList();
        }

        return expanded;
    }

    [GeneratedRegex(@"^(?<target>[a-z0-9_]+\.[a-z0-9_]+\.[a-z0-9_]+)\s*==\s*(?<sources>sum\(\s*[a-z0-9_.]+(\s*,\s*[a-z0-9_.]+)+\s*\)|[a-z0-9_.]+(\s*\+\s*[a-z0-9_.]+)+)$")]
    private static partial Regex SumRule();

    [GeneratedRegex(@"[a-z0-9_]+\.[a-z0-9_]+\.[a-z0-9_]+")]
    private static partial Regex CellId();
}

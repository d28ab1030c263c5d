using System.Globalization;
using System.Text.RegularExpressions;

namespace Aggregator.Pipeline.Tests.Support;

/// <summary>One sample of the Prometheus text exposition format.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string? Label(string name) => Labels.GetValueOrDefault(name);
}

/// <summary>Reads the samples of a <c>/metrics</c> answer, and the metric names a PromQL expression reads.</summary>
public static partial class PrometheusText
{
    private static readonly HashSet<string> PromQlWords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset", "atan2",
        "inf", "nan", "Inf", "NaN",
    };

    public static IReadOnlyList<PrometheusSample> Parse(string exposition)
    {
        var samples = new List<PrometheusSample>();
        foreach (var line in exposition.Split('\n'))
        {
            var match = SampleLine().Match(line.TrimEnd('\r'));
            if (!match.Success)
                continue;
            var labels = LabelPair().Matches(match.Groups["labels"].Value)
                .ToDictionary(pair => pair.Groups["name"].Value, pair => Regex.Unescape(pair.Groups["value"].Value), StringComparer.Ordinal);
            var value = double.TryParse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : double.NaN;
            samples.Add(new PrometheusSample(match.Groups["name"].Value, labels, value));
        }

        return samples;
    }

    /// <summary>
    /// The metric names an expression selects: every identifier outside strings, label matchers, ranges and grouping
    /// clauses that is neither a function called nor a PromQL keyword.
    /// </summary>
    public static IReadOnlySet<string> MetricNames(string expression)
    {
        var text = QuotedString().Replace(expression, "\"\"");
        text = Braces().Replace(text, " ");
        text = Brackets().Replace(text, " ");
        text = Grouping().Replace(text, " ");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match identifier in Identifier().Matches(text))
        {
            var rest = text.AsSpan(identifier.Index + identifier.Length).TrimStart();
            if (!rest.StartsWith("(") && !PromQlWords.Contains(identifier.Value))
                names.Add(identifier.Value);
        }

        return names;
    }

    [GeneratedRegex(@"^(?<name>[A-Za-z_:][A-Za-z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<name>[A-Za-z_][A-Za-z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""|'(?:[^'\\]|\\.)*'")]
    private static partial Regex QuotedString();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Brackets();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"(?<![A-Za-z0-9_:.])[A-Za-z_:][A-Za-z0-9_:]*")]
    private static partial Regex Identifier();
}

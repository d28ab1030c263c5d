using Aggregator.Cli.Demo;

namespace Aggregator.Pipeline.Tests.Support;

/// <summary>
/// What a rollup of a generated district must contain, computed here from the numbers each unit meant (not from
/// how they were written, and without the core's parsing or summation).
/// </summary>
public sealed class ScenarioExpectations(DistrictScenario scenario)
{
    /// <summary>Cell-wise sums over the units that should be accepted; a cell no such unit wrote is absent.</summary>
    public IReadOnlyDictionary<string, decimal> Values { get; } = scenario.Submissions
        .Where(s => s.ShouldBeAccepted)
        .SelectMany(s => s.IntendedValues)
        .GroupBy(v => v.Key, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Sum(v => v.Value), StringComparer.Ordinal);

    public IReadOnlyList<string> Included { get; } =
        [.. scenario.Submissions.Where(s => s.ShouldBeAccepted).Select(s => s.Unit.Code).Order(StringComparer.Ordinal)];

    /// <summary>Unit code → the error rules it breaks on purpose.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Rejected { get; } = scenario.Submissions
        .Where(s => !s.ShouldBeAccepted)
        .ToDictionary(s => s.Unit.Code, s => s.ExpectedErrorRules, StringComparer.Ordinal);

    public IReadOnlyList<string> Missing { get; } = [.. scenario.MissingUnits.Select(u => u.Code).Order(StringComparer.Ordinal)];

    /// <summary>Asserts a rollup's values cell by cell, naming the first cell that differs.</summary>
    public void AssertValues(IReadOnlyDictionary<string, decimal> actual) => AssertSums(Values, actual);

    /// <summary>Asserts that a rollup has exactly the expected cells, each with its expected sum; names the first that differs.</summary>
    public static void AssertSums(IReadOnlyDictionary<string, decimal> expected, IReadOnlyDictionary<string, decimal> actual)
    {
        foreach (var (cell, sum) in expected)
        {
            Assert.True(actual.TryGetValue(cell, out var value), $"The rollup lacks cell {cell} (expected {sum}).");
            Assert.True(sum == value, $"Cell {cell}: expected {sum}, the rollup has {value}.");
        }

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
    }

    /// <summary>Asserts who was rejected, each with at least the rules it breaks on purpose.</summary>
    public void AssertRejected(IReadOnlyDictionary<string, IReadOnlyList<string>> actual)
    {
        Assert.Equal(Rejected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (unit, rules) in Rejected)
        {
            Assert.True(rules.All(actual[unit].Contains), $"{unit} should be rejected for {string.Join(", ", rules)}; it lists {string.Join(", ", actual[unit])}.");
        }
    }
}

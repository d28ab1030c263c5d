using Aggregator.Core.Values;

namespace Aggregator.Cli.Demo;

/// <summary>What a generated submission contains and how it should fare.</summary>
/// <param name="IntendedValues">The numbers the unit meant, money in 万元, independent of how they are written in
/// <see cref="Document"/> (e.g. "251000元" is 25.1 here).</param>
/// <param name="ExpectedErrorRules">The error rules the document breaks on purpose; empty when it should be accepted.</param>
public sealed record GeneratedSubmission(
    ScenarioUnit Unit,
    SubmissionDocument Document,
    IReadOnlyDictionary<string, decimal> IntendedValues,
    IReadOnlyList<string> ExpectedErrorRules,
    string? Note)
{
    public bool ShouldBeAccepted => ExpectedErrorRules.Count == 0;
}

using Aggregator.Core.Rules;

namespace Aggregator.Core.Values;

/// <summary>What was read from one cell: a number (millionths of the cell's unit), blank, or a problem.</summary>
internal readonly record struct CellReading(long? Scaled, bool WasDash, bool UnitAssumed, string? ProblemRuleId, string? Problem)
{
    public static CellReading Blank => default;

    public bool IsProblem => ProblemRuleId is not null;

    public static CellReading Value(long scaled, bool unitAssumed) => new(scaled, false, unitAssumed, null, null);

    public static CellReading Dash() => new(0, true, false, null, null);

    public static CellReading FormatProblem(string message) => new(null, false, false, ValueRuleIds.Format, message);

    public static CellReading RangeProblem(string message) => new(null, false, false, ValueRuleIds.Range, message);

    public static CellReading UnitProblem(string message) => new(null, false, false, ValueRuleIds.Unit, message);
}

using Aggregator.Core.Values;

namespace Aggregator.Core.Summation;

/// <summary>One unit's table to be summed.</summary>
/// <param name="Key">Who contributed, as the caller names it (e.g. unit code and submission version).</param>
public sealed record RollupInput(string Key, NormalizedTable Table);

/// <summary>What one unit contributed to one summed cell.</summary>
/// <param name="Value">The unit's normalised value (money in 万元).</param>
/// <param name="RawText">The text the unit wrote, when there was one.</param>
public sealed record CellContribution(string Key, decimal Value, string? RawText);

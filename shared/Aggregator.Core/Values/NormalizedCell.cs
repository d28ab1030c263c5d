using Aggregator.Core.Forms;

namespace Aggregator.Core.Values;

/// <summary>A filled cell of a normalised table.</summary>
/// <param name="Value">The number, money in 万元.</param>
/// <param name="RawText">The text that was written, when the value came from text.</param>
public sealed record NormalizedCell(CellDefinition Cell, decimal Value, string? RawText);

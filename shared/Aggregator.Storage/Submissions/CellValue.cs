namespace Aggregator.Storage.Submissions;

/// <summary>One cell of one submission version: the normalised number (null when blank), the text as sent, and flags.</summary>
/// <param name="Flags">Bits set by value parsing (e.g. "/" read as an explicit 0); opaque to storage.</param>
public sealed record CellValue(string CellId, decimal? Value, string? RawText, int Flags = 0);

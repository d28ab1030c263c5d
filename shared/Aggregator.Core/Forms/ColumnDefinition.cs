namespace Aggregator.Core.Forms;

/// <summary>A printed column (or spanning column header) of a table.</summary>
/// <param name="HasCells">False for spanning headers such as 法人或其他组织 that have no cells of their own.</param>
/// <param name="Note">An explanatory note (not printed).</param>
public sealed record ColumnDefinition(string Id, string Label, string? ParentId, bool HasCells, string? Note);

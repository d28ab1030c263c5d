namespace Aggregator.Core.Forms;

/// <summary>A printed row of a table.</summary>
/// <param name="HasCells">False for group labels such as （三）不予公开 that carry no number.</param>
/// <param name="IsHeading">The old form's <c>——</c> headings: cells exist but are never summed.</param>
/// <param name="Note">An explanatory note (not printed).</param>
public sealed record RowDefinition(
    string Id,
    string Label,
    int Level,
    string? ParentId,
    bool HasCells,
    bool IsHeading,
    string? Note);

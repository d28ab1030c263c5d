namespace Aggregator.Core.Rules;

/// <summary>A failed rule, or a value that could not be read, with the cells involved and a Chinese message.</summary>
/// <param name="RuleId">The form's rule id (<c>S3-BALANCE</c>) or a value problem (<c>VALUE-FORMAT</c>, <c>VALUE-RANGE</c>, <c>VALUE-UNIT</c>,
/// <c>VALUE-DASH</c>, <c>UNKNOWN-CELL</c>); see <see cref="ValueRuleIds"/>.</param>
/// <param name="Binding">The <c>for_each</c> placeholder values of this instance (<c>{"c": "total"}</c>); built-in
/// and value checks bind <c>cell</c> to the cell id.</param>
/// <param name="Cells">The cells involved in expression order; a cell of the previous year is keyed <c>prev:</c> + id.</param>
public sealed record RuleViolation(
    string RuleId,
    Severity Severity,
    bool Official,
    IReadOnlyDictionary<string, string> Binding,
    IReadOnlyList<ViolationCell> Cells,
    string Message);

/// <summary>A cell involved in a violation.</summary>
/// <param name="Value">The normalised value; null when blank or unreadable.</param>
/// <param name="RawText">The text that was written, when there was one.</param>
public sealed record ViolationCell(string CellId, decimal? Value, string? RawText);

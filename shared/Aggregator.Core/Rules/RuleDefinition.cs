namespace Aggregator.Core.Rules;

/// <summary>A consistency rule (勾稽关系) or built-in value check of a form, as written in the form file.</summary>
/// <param name="Official">Whether the rule is printed on the form itself.</param>
/// <param name="Description">What the rule means, in Chinese.</param>
/// <param name="Expression">The rule over cell ids, before <c>for_each</c> expansion; null for a built-in check.</param>
/// <param name="Check">The built-in check's name (<c>nonnegative_integer</c>, <c>money_unit_stated</c>); null for an expression.</param>
/// <param name="ForEach">Placeholder → values; the rule is checked once per combination.</param>
/// <param name="IsCrossYear">Compares with the previous year's table and is checked only when one is supplied.</param>
public sealed record RuleDefinition(
    string Id,
    bool Official,
    Severity Severity,
    string Description,
    string? Expression,
    string? Check,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ForEach,
    bool IsCrossYear);

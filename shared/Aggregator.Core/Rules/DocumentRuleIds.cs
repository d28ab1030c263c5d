namespace Aggregator.Core.Rules;

/// <summary>
/// Rule ids of problems with a submission document as a whole (the value problems are in <see cref="ValueRuleIds"/>).
/// The first five make a document unreadable; the others are reported as violations of a readable one.
/// </summary>
public static class DocumentRuleIds
{
    /// <summary>The bytes are not JSON (or are empty).</summary>
    public const string JsonSyntax = "JSON-SYNTAX";

    /// <summary>The JSON nests deeper than the reader allows.</summary>
    public const string JsonDepth = "JSON-DEPTH";

    /// <summary>The top level is not a JSON object.</summary>
    public const string Shape = "DOCUMENT-SHAPE";

    /// <summary>A required field is missing, or a field is of the wrong kind.</summary>
    public const string Field = "DOCUMENT-FIELD";

    /// <summary>A top-level field is written twice, possibly in both spellings (<c>unit_name</c> and <c>unitName</c>).</summary>
    public const string DuplicateField = "DUPLICATE-FIELD";

    /// <summary>A cell id is written twice in <c>values</c>, <c>raw</c> or <c>units_from_header</c> (error).</summary>
    public const string DuplicateCell = "DUPLICATE-CELL";

    /// <summary>The report year is outside the years the format is used for (error).</summary>
    public const string FormYear = "FORM-YEAR";

    /// <summary>No table of the report has a single value (warning).</summary>
    public const string EmptyReport = "EMPTY-REPORT";

    /// <summary>Whether a problem with <paramref name="ruleId"/> leaves no document to validate.</summary>
    public static bool IsUnreadable(string ruleId) => ruleId is JsonSyntax or JsonDepth or Shape or Field or DuplicateField;
}

using System.Text.Encodings.Web;
using System.Text.Json;
using Aggregator.Core.Rules;

namespace Aggregator.Application.Validation;

/// <summary>A failed rule as the API shows it and the database stores it.</summary>
/// <param name="Severity"><c>error</c> or <c>warning</c>.</param>
/// <param name="Cells">The cells involved, by id, with their normalised values (null when blank).</param>
public sealed record ViolationView(string Rule, string Severity, IReadOnlyDictionary<string, decimal?> Cells, string Message)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public bool IsError => Severity == "error";

    public static ViolationView From(RuleViolation violation)
    {
        var cells = new Dictionary<string, decimal?>(violation.Cells.Count, StringComparer.Ordinal);
        foreach (var cell in violation.Cells)
        {
            cells.TryAdd(cell.CellId, cell.Value);
        }

        return new ViolationView(violation.RuleId, violation.Severity.ToWireName(), cells, violation.Message);
    }

    public static IReadOnlyList<ViolationView> From(IEnumerable<RuleViolation> violations) => [.. violations.Select(From)];

    /// <summary>The JSON text stored in <c>validation_results.violations</c>.</summary>
    public static string ToJson(IReadOnlyList<ViolationView> violations) => JsonSerializer.Serialize(violations, JsonOptions);

    /// <summary>Reads what <see cref="ToJson"/> wrote; empty for null or blank text.</summary>
    public static IReadOnlyList<ViolationView> FromJson(string? json) =>
        string.IsNullOrWhiteSpace(json) ? [] : JsonSerializer.Deserialize<List<ViolationView>>(json, JsonOptions) ?? [];
}

using System.Text.Json;

namespace Aggregator.Application.Rollups;

/// <summary>Why a unit was left out as rejected: the version that was rejected and its error rules (stored as JSON).</summary>
public sealed record Rejection(int? Version, IReadOnlyList<string> Rules)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static Rejection FromJson(string? json) =>
        string.IsNullOrWhiteSpace(json) ? new Rejection(null, []) : JsonSerializer.Deserialize<Rejection>(json, JsonOptions) ?? new Rejection(null, []);
}

using System.Globalization;
using System.Text.Json;

namespace Aggregator.Reporting.Tests.Support;

/// <summary>A transcribed seed's numbers and printed texts, read straight from its JSON file.</summary>
public sealed class SeedValues
{
    private readonly Dictionary<string, decimal> _values;
    private readonly Dictionary<string, string> _raw;

    private SeedValues(Dictionary<string, decimal> values, Dictionary<string, string> raw)
    {
        _values = values;
        _raw = raw;
    }

    public static SeedValues Load(string relativePath)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(DomainFolder.File(relativePath)));
        var root = document.RootElement;
        var values = root.GetProperty("values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDecimal(), StringComparer.Ordinal);
        var raw = root.TryGetProperty("raw", out var rawElement)
            ? rawElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal)
            : [];
        return new SeedValues(values, raw);
    }

    /// <summary>The number, blank counted as 0.</summary>
    public decimal this[string cellId] => _values.GetValueOrDefault(cellId);

    /// <summary>The count as the report prints it: a blank cell of a consolidated table reads 0.</summary>
    public string CountText(string cellId) => this[cellId].ToString("0", CultureInfo.InvariantCulture);

    /// <summary>The text the unit wrote, when it differs from the bare number.</summary>
    public string? Raw(string cellId) => _raw.GetValueOrDefault(cellId);
}

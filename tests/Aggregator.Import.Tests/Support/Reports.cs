using System.Text.Json;

namespace Aggregator.Import.Tests.Support;

/// <summary>The test reports under Reports/: the text a .docx is built from and the values transcribed by hand.</summary>
internal static class Reports
{
    public static readonly string[] Names = ["seed_000", "seed_001", "seed_002", "seed_004", "shanghai_2019"];

    public static string Text(string name) => File.ReadAllText(PathOf(name + ".txt"));

    public static byte[] Docx(string name) => ReportDocx.FromText(Text(name));

    public static WordReport Read(string name) => WordReportReader.Default.Read(new MemoryStream(Docx(name)));

    /// <summary>
    /// The transcription's <c>values</c>: cell id → number; blank cells are absent. A money cell the unit wrote in 元
    /// (<c>units_in_cells</c>) is transcribed in 元 and compared in 万元, the unit the core holds money in.
    /// </summary>
    public static IReadOnlyDictionary<string, decimal> ExpectedValues(string name)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(PathOf(name + ".expected.json")));
        var inYuan = json.RootElement.TryGetProperty("units_in_cells", out var units)
            ? units.EnumerateObject().Where(u => u.Value.GetString() == "元").Select(u => u.Name).ToHashSet(StringComparer.Ordinal)
            : [];
        return json.RootElement.GetProperty("values").EnumerateObject()
            .ToDictionary(p => p.Name, p => inYuan.Contains(p.Name) ? p.Value.GetDecimal() / 10_000m : p.Value.GetDecimal(), StringComparer.Ordinal);
    }

    private static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Reports", file);
}

using System.Text.Json.Nodes;
using Aggregator.Cli.Demo;
using Aggregator.Storage;
using Aggregator.Storage.Units;

namespace Aggregator.Pipeline.Tests.Support;

/// <summary>Submission documents for tests: valid generated tables, as JSON that a test can change cell by cell.</summary>
public static class TestDocuments
{
    public const string District = "T-DIST";

    /// <summary>A district with <paramref name="count"/> departments T-D01…, ready to register.</summary>
    public static IReadOnlyList<UnitRegistration> SmallDistrict(int count = 3) =>
    [
        new UnitRegistration(District, "测试区", OrgUnitKind.District, null),
        .. Enumerable.Range(1, count).Select(i => new UnitRegistration($"T-D{i:00}", $"测试部门{i}", OrgUnitKind.Department, District)),
    ];

    /// <summary>A valid fmt_2019 table for 2019 for the unit, deterministic per seed.</summary>
    public static GeneratedSubmission Valid(string unitCode, int seed = 7, bool busy = true) =>
        new TableGenerator(new Random(seed)).Generate(new ScenarioUnit(unitCode, "部门" + unitCode, OrgUnitKind.Department, District, busy), TableMistake.None);

    public static JsonObject Json(string unitCode, int seed = 7) =>
        JsonNode.Parse(Valid(unitCode, seed).Document.ToJson())!.AsObject();

    /// <summary>The document with one cell set to a JSON value (number, text or null).</summary>
    public static JsonObject WithCell(this JsonObject document, string cellId, JsonNode? value)
    {
        document["values"]![cellId] = value;
        return document;
    }
}

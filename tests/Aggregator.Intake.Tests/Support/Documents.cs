using System.Text.Json.Nodes;
using Aggregator.Cli.Demo;
using Aggregator.Storage;

namespace Aggregator.Intake.Tests.Support;

/// <summary>Submission documents: a valid generated fmt_2019 table for 2019, as JSON a test can change.</summary>
public static class Documents
{
    public const string FormatId = "fmt_2019";
    public const int Year = 2019;
    public const string CountCell = "s3.r1_new.natural_person";
    public const string MoneyCell = "s2_9.central_procurement.total_amount";

    public static JsonObject Valid(string unitCode, int seed = 7)
    {
        var generated = new TableGenerator(new Random(seed))
            .Generate(new ScenarioUnit(unitCode, "测试部门" + unitCode, OrgUnitKind.Department, World.District, Busy: true), TableMistake.None);
        return JsonNode.Parse((generated.Document with { UnitCode = unitCode }).ToJson())!.AsObject();
    }

    public static JsonObject With(this JsonObject document, string property, JsonNode? value)
    {
        document[property] = value;
        return document;
    }

    public static JsonObject WithCell(this JsonObject document, string cellId, JsonNode? value)
    {
        document["values"]![cellId] = value;
        return document;
    }

    public static JsonObject Without(this JsonObject document, string property)
    {
        document.Remove(property);
        return document;
    }
}

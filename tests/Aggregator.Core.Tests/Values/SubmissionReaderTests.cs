using System.Text;
using System.Text.Json.Nodes;
using Aggregator.Core.Rules;
using Aggregator.Core.Tests.Support;
using Aggregator.Core.Values;

namespace Aggregator.Core.Tests.Values;

/// <summary>The one reader of a submission's bytes: structure, field spellings, repeated cells, and what validation then says.</summary>
public sealed class SubmissionReaderTests
{
    private const string Minimal = """{"format_id":"fmt_2019","year":2019,"unit_name":"甲","values":{"s3.r1_new.natural_person":3}}""";

    [Fact]
    public void Keeps_a_cell_written_twice_as_a_duplicate_cell_error_that_rejects_the_table()
    {
        var reading = Read("""{"format_id":"fmt_2019","year":2019,"unit_name":"甲","values":{"s3.r1_new.natural_person":3,"s3.r1_new.natural_person":4}}""");

        Assert.True(reading.IsReadable);
        var duplicate = Assert.Single(reading.Document.ReadingProblems);
        Assert.Equal(DocumentRuleIds.DuplicateCell, duplicate.RuleId);
        var result = SubmissionValidator.Default.Validate(reading.Document);
        Assert.Equal(ValidationOutcome.Rejected, result.Outcome);
        Assert.Equal(DocumentRuleIds.DuplicateCell, result.Violations[0].RuleId);
        Assert.Equal("s3.r1_new.natural_person", result.Violations[0].Binding["cell"]);
    }

    [Fact]
    public void Reads_the_camel_case_spelling_of_a_field_as_the_same_field()
    {
        var reading = Read("""{"formatId":"fmt_2019","year":2019,"unitName":"甲","unitCode":"A1","values":{}}""");

        Assert.True(reading.IsReadable);
        Assert.Equal("fmt_2019", reading.Document.FormatId);
        Assert.Equal("甲", reading.Document.UnitName);
        Assert.Equal("A1", reading.Document.UnitCode);
    }

    [Fact]
    public void Refuses_a_field_written_in_both_spellings()
    {
        var reading = Read("""{"format_id":"fmt_2019","formatId":"fmt_2021","year":2019,"unit_name":"甲"}""");

        var problem = Assert.Single(reading.Problems);
        Assert.Equal(DocumentRuleIds.DuplicateField, problem.Rule);
        Assert.Equal("formatId", problem.Field);
        Assert.Contains("format_id", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ignores_fields_that_are_not_part_of_a_submission()
    {
        var reading = Read("""{"seed":3,"narrative":{"a":[1,2,{"b":null}]},"format_id":"fmt_2019","year":2019,"unit_name":"甲"}""");

        Assert.True(reading.IsReadable);
        Assert.Empty(reading.Document.ReadingProblems);
    }

    [Theory]
    [InlineData("{\"format_id\":\"fmt_2019\",\n  \"year\":2019,\n  \"unit_name\" \"甲\"}", 3, 15)]
    [InlineData("{\"format_id\":\"fmt_2019\",\n\"year\":2019", 2, 12)]
    [InlineData("{\"unit_name\":\"测试单位\",,}", 1, 21)]
    public void Says_in_chinese_on_which_line_and_column_the_json_breaks(string json, int line, int column)
    {
        var problem = Assert.Single(Read(json).Problems);

        Assert.Equal(DocumentRuleIds.JsonSyntax, problem.Rule);
        Assert.Contains($"第 {line} 行第 {column} 列", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotMatch("[A-Za-z]{4,}", problem.Message.Replace("JSON", "", StringComparison.Ordinal));
    }

    [Fact]
    public void Refuses_json_nested_deeper_than_the_limit()
    {
        var problem = Assert.Single(Read("{\"values\":{\"x\":" + new string('[', 30) + new string(']', 30) + "}}").Problems);

        Assert.Equal(DocumentRuleIds.JsonDepth, problem.Rule);
    }

    [Fact]
    public void Names_every_missing_field_at_once()
    {
        var reading = Read("""{"values":{}}""");

        Assert.False(reading.IsReadable);
        Assert.Equal(["format_id", "year", "unit_name"], reading.Problems.Select(p => p.Field));
        Assert.All(reading.Problems, p => Assert.Equal(DocumentRuleIds.Field, p.Rule));
    }

    [Fact]
    public void Reads_a_body_with_a_byte_order_mark()
    {
        var reading = SubmissionReader.Read([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Minimal)]);

        Assert.True(reading.IsReadable);
        Assert.Equal(3m, reading.Document.Values["s3.r1_new.natural_person"].Number);
    }

    [Theory]
    [InlineData(2022)]
    [InlineData(2017)]
    public void Rejects_a_2019_format_table_declared_for_a_year_the_format_is_not_used_for(int year)
    {
        var json = JsonNode.Parse(DomainDirectory.Read(Seeds.Seed002))!.AsObject();
        json["year"] = year;

        var result = SubmissionValidator.Default.Validate(SubmissionDocument.Parse(json.ToJsonString()));

        Assert.Equal(ValidationOutcome.Rejected, result.Outcome);
        var wrongYear = Assert.Single(result.Violations, v => v.RuleId == DocumentRuleIds.FormYear);
        Assert.Equal(Severity.Error, wrongYear.Severity);
        Assert.Contains($"{year}", wrongYear.Message, StringComparison.Ordinal);
        Assert.Contains("2019—2020", wrongYear.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"format_id":"fmt_2019","year":2019,"unit_name":"甲","values":{}}""")]
    [InlineData("""{"format_id":"fmt_2019","year":2019,"unit_name":"甲"}""")]
    [InlineData("""{"format_id":"fmt_2019","year":2019,"unit_name":"甲","values":{"s3.r1_new.natural_person":null}}""")]
    public void Warns_that_no_table_of_an_empty_report_has_a_value(string json)
    {
        var result = SubmissionValidator.Default.Validate(SubmissionDocument.Parse(json));

        var empty = Assert.Single(result.Violations, v => v.RuleId == DocumentRuleIds.EmptyReport);
        Assert.Equal(Severity.Warning, empty.Severity);
        Assert.Contains("没有任何数值", empty.Message, StringComparison.Ordinal);
        Assert.NotEqual(ValidationOutcome.Accepted, result.Outcome);
    }

    private static SubmissionReading Read(string json) => SubmissionReader.Read(Encoding.UTF8.GetBytes(json));
}

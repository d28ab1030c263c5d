using Aggregator.Core.Tests.Support;
using Aggregator.Core.Values;

namespace Aggregator.Core.Tests.Values;

public sealed class SubmissionDocumentTests
{
    [Fact]
    public void Reads_the_fields_of_a_transcribed_seed_and_ignores_the_others()
    {
        var document = SubmissionDocument.Parse(DomainDirectory.Read(Seeds.Seed004));

        Assert.Equal("fmt_2019", document.FormatId);
        Assert.Equal(2019, document.Year);
        Assert.Equal("宁波市机关事务管理局", document.UnitName);
        Assert.Equal(7390.1m, document.Values["s2_9.central_procurement.total_amount"].Number);
        Assert.Equal("万元", document.UnitsFromHeader["s2_9.central_procurement.total_amount"]);
        Assert.Equal("\u3000\u30000", document.Raw["s2_1.regulation.new_made"]);
    }

    [Fact]
    public void Keeps_numbers_texts_and_nulls_apart()
    {
        var document = SubmissionDocument.Parse("""
            {"format_id":"fmt_2019","year":2019,"unit_name":"甲","unit_code":"A01",
             "values":{"a":1.50,"b":"4个","c":null}}
            """);

        Assert.Equal("A01", document.UnitCode);
        Assert.Equal(1.50m, document.Values["a"].Number);
        Assert.Equal("1.50", document.Values["a"].Text);
        Assert.Equal("4个", document.Values["b"].Text);
        Assert.True(document.Values["c"].IsBlank);
    }

    [Theory]
    [InlineData("not json", "JSON")]
    [InlineData("[1,2]", "JSON 对象")]
    [InlineData("""{"year":2019,"unit_name":"甲"}""", "format_id")]
    [InlineData("""{"format_id":"fmt_2019","unit_name":"甲"}""", "year")]
    [InlineData("""{"format_id":"fmt_2019","year":"去年","unit_name":"甲"}""", "year")]
    [InlineData("""{"format_id":"fmt_2019","year":2019}""", "unit_name")]
    [InlineData("""{"format_id":"fmt_2019","year":2019,"unit_name":"甲","values":[1]}""", "values")]
    [InlineData("""{"format_id":"fmt_2019","year":2019,"unit_name":"甲","raw":"x"}""", "raw")]
    public void Explains_what_is_wrong_with_a_malformed_document(string json, string mentioned)
    {
        var ex = Assert.Throws<SubmissionFormatException>(() => SubmissionDocument.Parse(json));

        Assert.Contains(mentioned, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Writes_a_document_that_reads_back_the_same()
    {
        var original = SubmissionDocument.Parse(DomainDirectory.Read(Seeds.Seed002));

        var copy = SubmissionDocument.Parse(original.ToJson());

        Assert.Equal(original.FormatId, copy.FormatId);
        Assert.Equal(original.UnitName, copy.UnitName);
        Assert.Equal(original.Values.Keys, copy.Values.Keys);
        Assert.Equal(original.Values.Values.Select(v => v.Number), copy.Values.Values.Select(v => v.Number));
        Assert.Equal(original.Raw, copy.Raw);
        Assert.Contains("洞头区", original.ToJson(), StringComparison.Ordinal);
    }
}

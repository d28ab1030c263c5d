using System.Net;
using System.Text;
using Aggregator.Intake.Tests.Support;

namespace Aggregator.Intake.Tests;

/// <summary>What the API answers for the submissions that <c>validate</c> used to let through or answer poorly.</summary>
public sealed class ReaderAnswersTests(World world) : IClassFixture<World>
{
    [Theory]
    [InlineData(2022)]
    [InlineData(2017)]
    public async Task Refuses_a_2019_format_table_declared_for_a_year_outside_the_format(int year)
    {
        using var response = await world.Host.SendAsync(Post(Documents.Valid("U1").With("year", year).ToJsonString(), "?dryRun=true"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("wrong_year", (await response.ProblemAsync())["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Warns_that_an_empty_report_has_no_value_in_any_table()
    {
        var document = Documents.Valid("U1").With("values", new System.Text.Json.Nodes.JsonObject());

        using var response = await world.Host.SendAsync(Post(document.ToJsonString(), "?dryRun=true"));

        var verdict = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("accepted_with_warnings", verdict["outcome"]!.GetValue<string>());
        var empty = Assert.Single(verdict["violations"]!.AsArray(), v => v!["rule"]!.GetValue<string>() == "EMPTY-REPORT")!;
        Assert.Equal("warning", empty["severity"]!.GetValue<string>());
        Assert.Contains("没有任何数值", empty["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Says_in_chinese_on_which_line_and_column_broken_json_breaks()
    {
        using var response = await world.Host.SendAsync(Post("{\n  \"format_id\": \"fmt_2019\",\n  \"year\": 2019\n  \"unit_name\": \"甲\"\n}", ""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.Equal("invalid_json", problem["code"]!.GetValue<string>());
        var detail = problem["detail"]!.GetValue<string>();
        Assert.Contains("第 4 行第 3 列", detail, StringComparison.Ordinal);
        Assert.DoesNotMatch("[A-Za-z]{5,}", detail.Replace("JSON", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Answers_forty_thousand_unknown_cells_with_the_first_twenty_and_the_count_never_more_than_the_request()
    {
        var document = Documents.Valid("U1");
        for (var i = 0; i < 40_000; i++)
        {
            document["values"]![$"s9.u{i}"] = 1;
        }

        var body = document.ToJsonString();
        using var response = await world.Host.SendAsync(Post(body, "?dryRun=true"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(Encoding.UTF8.GetByteCount(text) < Encoding.UTF8.GetByteCount(body) / 100, $"{text.Length} characters answered a {body.Length}-character request");
        var problem = await response.ProblemAsync();
        Assert.Equal("unknown_cell", problem["code"]!.GetValue<string>());
        Assert.Equal(20, problem["cells"]!.AsArray().Count);
        Assert.Equal(40_000, problem["cell_count"]!.GetValue<int>());
        Assert.Contains("40000", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_the_camel_case_spelling_of_submission_fields_as_the_same_fields()
    {
        var json = Documents.Valid("U1").ToJsonString()
            .Replace("\"format_id\"", "\"formatId\"", StringComparison.Ordinal)
            .Replace("\"unit_name\"", "\"unitName\"", StringComparison.Ordinal);

        using var response = await world.Host.SendAsync(Post(json, "?dryRun=true"));

        Assert.Equal("accepted", (await response.ExpectAsync(HttpStatusCode.OK))["outcome"]!.GetValue<string>());
    }

    private HttpRequestMessage Post(string json, string query) =>
        Request.Post($"/api/v1/periods/{world.OpenPeriod}/submissions{query}").WithText(json, "application/json").WithKey(world.U1Key);
}

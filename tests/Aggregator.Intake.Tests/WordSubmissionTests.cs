using System.Net;
using Aggregator.Intake.Tests.Support;
using Aggregator.Testing.Office;

namespace Aggregator.Intake.Tests;

/// <summary><c>POST /periods/{id}/submissions/word</c>: a Word report is read, shown, and stored only when confirmed.</summary>
public sealed class WordSubmissionTests(World world) : IClassFixture<World>
{
    [Fact]
    public async Task Answers_the_values_read_and_the_verdict_without_storing_anything()
    {
        var document = Documents.Valid("U1", seed: 11);
        var before = await world.Host.SnapshotAsync();

        using var response = await world.Host.SendAsync(Word(document, world.U1Key));
        var body = await response.ExpectAsync(HttpStatusCode.OK);

        Assert.Empty((await world.Host.SnapshotAsync()).DifferencesFrom(before));
        Assert.False(body["stored"]!.GetValue<bool>());
        Assert.Equal(("fmt_2019", 2019, "测试部门U1"), (body["form_id"]!.GetValue<string>(), body["year"]!.GetValue<int>(), body["unit_name"]!.GetValue<string>()));
        var cells = body["cells"]!.AsArray().ToDictionary(c => c!["cell_id"]!.GetValue<string>(), c => c!);
        foreach (var (cellId, value) in document["values"]!.AsObject())
        {
            Assert.Equal(value?.GetValue<decimal>(), cells[cellId]["value"]?.GetValue<decimal>());
        }

        Assert.Empty(body["missing"]!.AsArray());
        var json = await world.Host.PostOkAsync($"/api/v1/periods/{world.OpenPeriod}/submissions?dryRun=true", world.U1Key, document, HttpStatusCode.OK);
        Assert.Equal(json["violations"]!.ToJsonString(), body["violations"]!.ToJsonString());
        Assert.Equal(json["outcome"]!.GetValue<string>(), body["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stores_the_values_read_as_a_submission_when_confirmed()
    {
        var document = Documents.Valid("U1", seed: 12);

        using var response = await world.Host.SendAsync(Word(document, world.U1Key, "confirm=true"));
        var body = await response.ExpectAsync(HttpStatusCode.Accepted);

        Assert.True(body["stored"]!.GetValue<bool>());
        Assert.Equal("U1", body["unit_code"]!.GetValue<string>());
        using var stored = await world.Host.GetAsync($"/api/v1/submissions/{body["submission_id"]}", world.U1Key);
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        Assert.Equal(response.Headers.Location!.ToString(), $"/api/v1/submissions/{body["submission_id"]}");
    }

    [Fact]
    public async Task Refuses_a_unit_sending_another_units_report()
    {
        var before = await world.Host.SnapshotAsync();

        using var response = await world.Host.SendAsync(Word(Documents.Valid("U1"), world.U2Key, "confirm=true&unit_code=U1"));

        var problem = await response.ProblemAsync();
        Assert.Equal((HttpStatusCode.Forbidden, "not_your_unit"), (response.StatusCode, problem["code"]!.GetValue<string>()));
        Assert.Empty((await world.Host.SnapshotAsync()).DifferencesFrom(before));
    }

    [Fact]
    public async Task Refuses_a_body_that_is_not_a_word_document()
    {
        using var request = Request.Post($"/api/v1/periods/{world.OpenPeriod}/submissions/word?confirm=true")
            .WithBytes("不是 Word 文件"u8.ToArray(), WordDocuments.MediaType).WithKey(world.U1Key);

        using var response = await world.Host.SendAsync(request);

        var problem = await response.ProblemAsync();
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "word_unreadable"), (response.StatusCode, problem["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Refuses_a_json_body_with_415()
    {
        using var request = Request.Post($"/api/v1/periods/{world.OpenPeriod}/submissions/word").WithJson(Documents.Valid("U1")).WithKey(world.U1Key);

        using var response = await world.Host.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    private HttpRequestMessage Word(System.Text.Json.Nodes.JsonObject document, string key, string query = "") =>
        Request.Post($"/api/v1/periods/{world.OpenPeriod}/submissions/word{(query.Length > 0 ? "?" + query : "")}")
            .WithBytes(WordDocuments.From(document), WordDocuments.MediaType)
            .WithKey(key);
}

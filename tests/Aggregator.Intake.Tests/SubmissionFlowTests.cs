using System.Net;
using Aggregator.Cli.Demo;
using Aggregator.Intake.Tests.Support;
using Aggregator.Storage.Submissions;
using System.Text.Json.Nodes;

namespace Aggregator.Intake.Tests;

/// <summary>What well-formed requests lead to: stored versions, readable verdicts, escaped text, audited changes.</summary>
public sealed class SubmissionFlowTests(World world) : IClassFixture<World>
{
    [Fact]
    public async Task A_submission_is_received_and_readable_where_the_location_points()
    {
        using var response = await world.Host.SendAsync(Submit(world.U2Key, Documents.Valid("U2")));
        var receipt = await response.ExpectAsync(HttpStatusCode.Accepted);

        Assert.Equal("received", receipt["status"]!.GetValue<string>());
        var id = receipt["submission_id"]!.GetValue<Guid>();
        Assert.Equal($"/api/v1/submissions/{id}", response.Headers.Location?.OriginalString);
        using var read = await world.Host.GetAsync(response.Headers.Location!.OriginalString, world.U2Key);
        var submission = await read.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("U2", submission["unit_code"]!.GetValue<string>());
        Assert.Equal(world.OpenPeriod, submission["period_id"]!.GetValue<Guid>());
        Assert.Equal(receipt["version"]!.GetValue<int>(), submission["version"]!.GetValue<int>());
        Assert.Equal("received", submission["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_period_opened_with_camel_case_fields_is_the_same_as_with_snake_case_ones()
    {
        using var response = await world.Host.SendAsync(Request.Post("/api/v1/periods")
            .WithJson("""{"year":2022,"formId":"fmt_2021","rootUnit":"D","dueDate":"2023-01-31"}""").WithKey(world.AdminKey));
        var period = await response.ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("fmt_2021", period["form_id"]!.GetValue<string>());
        Assert.Equal("D", period["root_unit"]!.GetValue<string>());
        Assert.Equal("2023-01-31", period["due_date"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_resubmission_is_a_new_version_and_the_old_one_stays_readable()
    {
        using var first = await world.Host.SendAsync(Submit(world.U2Key, Documents.Valid("U2", seed: 3)));
        using var second = await world.Host.SendAsync(Submit(world.U2Key, Documents.Valid("U2", seed: 4)));
        var one = await first.ExpectAsync(HttpStatusCode.Accepted);
        var two = await second.ExpectAsync(HttpStatusCode.Accepted);

        Assert.Equal(one["submission_id"]!.GetValue<Guid>(), two["submission_id"]!.GetValue<Guid>());
        Assert.Equal(one["version"]!.GetValue<int>() + 1, two["version"]!.GetValue<int>());
        using var old = await world.Host.GetAsync($"/api/v1/submissions/{one["submission_id"]}?version={one["version"]}", world.U2Key);
        var oldVersion = await old.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(one["version"]!.GetValue<int>(), oldVersion["version"]!.GetValue<int>());
        Assert.Equal(two["version"]!.GetValue<int>(), oldVersion["latest_version"]!.GetValue<int>());
    }

    [Fact]
    public async Task Full_width_digits_are_read_as_a_number_and_the_text_is_kept()
    {
        using var response = await world.Host.SendAsync(Submit(world.U2Key, Documents.Valid("U2").WithCell(Documents.CountCell, "１２")));
        var receipt = await response.ExpectAsync(HttpStatusCode.Accepted);

        var cells = await world.Host.Services.Get<SubmissionRepository>().GetCellsAsync(
            receipt["submission_id"]!.GetValue<Guid>(), receipt["version"]!.GetValue<int>(), CancellationToken.None);
        var cell = cells.Single(c => c.CellId == Documents.CountCell);
        Assert.Equal(12m, cell.Value);
        Assert.Equal("１２", cell.RawText);
    }

    [Fact]
    public async Task A_dry_run_reports_the_broken_rules_of_an_inconsistent_table_and_stores_nothing()
    {
        var generated = new TableGenerator(new Random(5)).Generate(
            new ScenarioUnit("U2", "测试区乙局", "department", World.District, Busy: true), TableMistake.BrokenBalance);
        var document = JsonNode.Parse((generated.Document with { UnitCode = "U2" }).ToJson())!;
        var before = await world.Host.SnapshotAsync();

        using var response = await world.Host.SendAsync(Submit(world.U2Key, document, "?dryRun=true"));

        var verdict = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("rejected", verdict["outcome"]!.GetValue<string>());
        var rules = verdict["violations"]!.AsArray().Select(v => v!["rule"]!.GetValue<string>()).ToList();
        Assert.All(generated.ExpectedErrorRules, rule => Assert.Contains(rule, rules));
        var violation = verdict["violations"]!.AsArray().First(v => generated.ExpectedErrorRules.Contains(v!["rule"]!.GetValue<string>()))!;
        Assert.Equal("error", violation["severity"]!.GetValue<string>());
        Assert.NotEmpty(violation["cells"]!.AsObject());
        ResponseExtensions.AssertChineseText(violation["message"]!.GetValue<string>());
        Assert.Empty((await world.Host.SnapshotAsync()).DifferencesFrom(before));
    }

    [Fact]
    public async Task Every_unreadable_value_is_listed_with_its_cell_raw_text_and_check()
    {
        var document = Documents.Valid("U2").WithCell(Documents.CountCell, "十二").WithCell(Documents.MoneyCell, "5件");

        using var response = await world.Host.SendAsync(Submit(world.U2Key, document));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.ProblemAsync();
        var cells = problem["cells"]!.AsArray().Select(c => c!.AsObject()).ToDictionary(c => c["cell"]!.GetValue<string>());
        Assert.Equal("十二", cells[Documents.CountCell]["raw"]!.GetValue<string>());
        Assert.Equal("VALUE-FORMAT", cells[Documents.CountCell]["rule"]!.GetValue<string>());
        Assert.Equal("5件", cells[Documents.MoneyCell]["raw"]!.GetValue<string>());
        Assert.Equal("VALUE-UNIT", cells[Documents.MoneyCell]["rule"]!.GetValue<string>());
        Assert.All(cells.Values, cell => ResponseExtensions.AssertChineseText(cell["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Html_in_a_unit_name_is_stored_as_written_and_escaped_in_json()
    {
        const string name = "<script>alert('x')</script>&甲局";
        await world.Host.PostOkAsync("/api/v1/units", world.AdminKey, new[] { new { code = "H1", name, kind = "other", parent = "X" } }, HttpStatusCode.OK);

        using var response = await world.Host.GetAsync("/api/v1/units", world.AdminKey);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.DoesNotContain("<script>", text, StringComparison.Ordinal);
        Assert.Contains("\\u003Cscript\\u003E", text, StringComparison.Ordinal);
        Assert.Contains("甲局", text, StringComparison.Ordinal);
        var unit = JsonNode.Parse(text)!.AsArray().Single(u => u!["code"]!.GetValue<string>() == "H1")!;
        Assert.Equal(name, unit["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("html", "text/html")]
    [InlineData("md", "text/markdown")]
    public async Task The_report_is_served_with_its_media_type_nosniff_and_a_restrictive_policy(string format, string mediaType)
    {
        using var response = await world.Host.GetAsync($"/api/v1/rollups/{world.Rollup}/report?format={format}", world.AdminKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src", policy, StringComparison.Ordinal);
        Assert.Contains("测试区汇总报告", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_not_rendered_yet_is_report_not_ready()
    {
        var rollup = await world.Host.PostOkAsync($"/api/v1/periods/{world.OpenPeriod}/rollups?unit=U1", world.AdminKey, "", HttpStatusCode.Accepted);

        using var response = await world.Host.GetAsync($"/api/v1/rollups/{rollup["rollup_id"]}/report", world.AdminKey);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("report_not_ready", (await response.ProblemAsync())["code"]!.GetValue<string>());
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Every_change_is_audited_with_the_key_and_role_that_made_it()
    {
        using var keys = await world.Host.GetAsync("/api/v1/keys", world.AdminKey);
        var u2KeyId = (await keys.ExpectAsync(HttpStatusCode.OK)).AsArray()
            .Single(k => k!["unit_code"]?.GetValue<string>() == "U2" && k["revoked_at"] is null)!["id"]!.GetValue<string>();
        using var submitted = await world.Host.SendAsync(Submit(world.U2Key, Documents.Valid("U2")));
        var submissionId = (await submitted.ExpectAsync(HttpStatusCode.Accepted))["submission_id"]!.GetValue<string>();

        using var response = await world.Host.GetAsync($"/api/v1/audit?target_type=submission&target_id={submissionId}&page_size=1", world.AdminKey);

        var page = await response.ExpectAsync(HttpStatusCode.OK);
        var entry = page["items"]!.AsArray().Single()!;
        Assert.Equal("submission.received", entry["action"]!.GetValue<string>());
        Assert.Equal(u2KeyId, entry["actor"]!.GetValue<string>());
        Assert.Equal("unit", entry["actor_role"]!.GetValue<string>());
        Assert.Equal("U2", entry["details"]!["unitCode"]!.GetValue<string>());
        Assert.True(page["total"]!.GetValue<long>() >= 1);
    }

    [Fact]
    public async Task A_unit_sees_its_period_with_the_count_of_expected_units_only()
    {
        using var response = await world.Host.GetAsync($"/api/v1/periods/{world.OpenPeriod}", world.U1Key);

        var period = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, period["expected_units"]!.GetValue<int>());
        Assert.Equal("fmt_2019", period["form_id"]!.GetValue<string>());
        Assert.Null(period["units"]);
    }

    [Fact]
    public async Task Completeness_lists_every_expected_unit_with_its_latest_status()
    {
        using var response = await world.Host.GetAsync($"/api/v1/periods/{world.OpenPeriod}/completeness", world.OpsKey);

        var completeness = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, completeness["expected"]!.GetValue<int>());
        var units = completeness["units"]!.AsArray().ToDictionary(u => u!["unit_code"]!.GetValue<string>());
        Assert.Equal(["U1", "U2", "U3"], units.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("received", units["U1"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_problem_is_problem_json_whatever_the_client_accepts()
    {
        using var response = await world.Host.SendAsync(Request.Get("/api/v1/nothing").WithKey(world.AdminKey).WithHeader("Accept", "text/html"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", (await response.ProblemAsync())["code"]!.GetValue<string>());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Theory]
    [InlineData("/api/v1/submissions/not-a-guid", "id", "not-a-guid")]
    [InlineData("/api/v1/submissions/01a20a1f-8e57-75f9-bb34-0a3073cb5b74?version=abc", "version", "abc")]
    [InlineData("/api/v1/audit?page_size=ten", "page_size", "ten")]
    public async Task A_parameter_that_does_not_convert_is_named_in_the_problem(string path, string field, string value)
    {
        using var response = await world.Host.GetAsync(path, world.AdminKey);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.Equal("invalid_request", problem["code"]!.GetValue<string>());
        Assert.Equal(field, problem["errors"]![0]!["field"]!.GetValue<string>());
        Assert.Contains(value, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        ResponseExtensions.AssertChineseText(problem["detail"]!.GetValue<string>());
    }

    private HttpRequestMessage Submit(string key, JsonNode document, string query = "") =>
        Request.Post($"/api/v1/periods/{world.OpenPeriod}/submissions{query}").WithJson(document).WithKey(key);
}

using System.Net;
using System.Text.Json.Nodes;
using Aggregator.Cli.Demo;
using Aggregator.Intake.Tests.Support;
using Aggregator.Storage;

namespace Aggregator.Intake.Tests;

/// <summary>The office's review tools through the API: return with a reason, accept with a justification, compare versions, reopen for one unit.</summary>
public sealed class ReviewTests(World world) : IClassFixture<World>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_rejected_version_is_returned_with_a_reason_the_unit_reads_and_a_resubmission_supersedes_it()
    {
        var district = await OpenDistrictAsync("RA", 1);
        var unit = district.Units[0];
        var id = await SubmitAndWaitAsync(district.Period, unit.Key, Broken(unit.Code));

        var refusedAccept = await PostProblemAsync($"/api/v1/submissions/{id}/accept", new { justification = "只是警告" });
        var returned = await world.Host.PostOkAsync($"/api/v1/submissions/{id}/return", world.AdminKey, new { reason = "表三第一项加第二项之和与第三项加第四项之和不等，请核对后重新报送。", version = 1 }, HttpStatusCode.OK);

        Assert.Equal((409, "submission_has_errors"), refusedAccept);
        Assert.Equal(("returned", 1), (returned["decision"]!.GetValue<string>(), returned["version"]!.GetValue<int>()));
        var seen = await (await world.Host.GetAsync($"/api/v1/submissions/{id}", unit.Key)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("returned", seen["status"]!.GetValue<string>());
        Assert.Equal("表三第一项加第二项之和与第三项加第四项之和不等，请核对后重新报送。", seen["returned"]!["note"]!.GetValue<string>());
        Assert.NotEmpty(seen["violations"]!.AsArray());
        var board = await (await world.Host.GetAsync($"/api/v1/periods/{district.Period}/completeness", world.AdminKey)).ExpectAsync(HttpStatusCode.OK);
        var row = board["units"]!.AsArray().Single(u => u!["unit_code"]!.GetValue<string>() == unit.Code)!;
        Assert.Equal(("returned", 1, 0), (row["status"]!.GetValue<string>(), board["returned"]!.GetValue<int>(), board["rejected"]!.GetValue<int>()));
        Assert.StartsWith("表三第一项", row["return_reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal((409, "submission_already_returned"), await PostProblemAsync($"/api/v1/submissions/{id}/return", new { reason = "再次退回" }));

        var again = await SubmitAndWaitAsync(district.Period, unit.Key, Documents.Valid(unit.Code));

        Assert.Equal(id, again);
        var latest = await (await world.Host.GetAsync($"/api/v1/submissions/{id}", unit.Key)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((2, "accepted"), (latest["version"]!.GetValue<int>(), latest["status"]!.GetValue<string>()));
        Assert.Null(latest["returned"]);
        Assert.Equal((409, "submission_superseded"), await PostProblemAsync($"/api/v1/submissions/{id}/return", new { reason = "看的是旧版本", version = 1 }));
    }

    [Fact]
    public async Task The_completeness_summary_counts_what_the_full_completeness_lists_without_the_units()
    {
        var district = await OpenDistrictAsync("RS", 5);
        await SubmitAndWaitAsync(district.Period, district.Units[0].Key, Documents.Valid(district.Units[0].Code));
        await SubmitAndWaitAsync(district.Period, district.Units[1].Key, Broken(district.Units[1].Code));
        var returned = await SubmitAndWaitAsync(district.Period, district.Units[2].Key, Broken(district.Units[2].Code));
        await world.Host.PostOkAsync($"/api/v1/submissions/{returned}/return", world.AdminKey, new { reason = "请核对表三后重新报送。" }, HttpStatusCode.OK);
        await SubmitAndWaitAsync(district.Period, district.Units[3].Key, Documents.Valid(district.Units[3].Code));

        var summary = await (await world.Host.GetAsync($"/api/v1/periods/{district.Period}/completeness/summary", world.AdminKey)).ExpectAsync(HttpStatusCode.OK);
        var full = await (await world.Host.GetAsync($"/api/v1/periods/{district.Period}/completeness", world.AdminKey)).ExpectAsync(HttpStatusCode.OK);
        using var unknown = await world.Host.GetAsync($"/api/v1/periods/{Guid.NewGuid()}/completeness/summary", world.AdminKey);

        int Count(JsonNode body, string name) => body[name]!.GetValue<int>();
        Assert.Equal((5, 4, 0, 2, 1, 1, 1), (Count(summary, "expected"), Count(summary, "submitted"), Count(summary, "received"),
            Count(summary, "accepted"), Count(summary, "rejected"), Count(summary, "returned"), Count(summary, "missing")));
        foreach (var name in new[] { "expected", "submitted", "accepted", "rejected", "returned", "missing" })
        {
            Assert.Equal(Count(full, name), Count(summary, name));
        }

        Assert.Null(summary["units"]);
        Assert.Equal(full["due_date"]!.GetValue<string>(), summary["due_date"]!.GetValue<string>());
        Assert.Equal((404, "period_not_found"), ((int)unknown.StatusCode, (await unknown.ProblemAsync())["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_return_needs_a_reason_and_an_existing_submission()
    {
        var district = await OpenDistrictAsync("RB", 1);
        var id = await SubmitAndWaitAsync(district.Period, district.Units[0].Key, Documents.Valid(district.Units[0].Code));
        var before = await world.Host.SnapshotAsync();

        Assert.Equal((400, "invalid_request"), await PostProblemAsync($"/api/v1/submissions/{id}/return", new { reason = "  " }));
        Assert.Equal((400, "invalid_request"), await PostProblemAsync($"/api/v1/submissions/{id}/return", new { reason = new string('长', 2001) }));
        Assert.Equal((404, "not_found"), await PostProblemAsync($"/api/v1/submissions/{Guid.NewGuid()}/return", new { reason = "不存在" }));
        Assert.Empty((await world.Host.SnapshotAsync()).DifferencesFrom(before));
    }

    [Fact]
    public async Task A_version_with_only_warnings_is_accepted_once_with_who_when_and_why()
    {
        var district = await OpenDistrictAsync("RC", 2);
        var warned = await SubmitAndWaitAsync(district.Period, district.Units[0].Key, Documents.Valid(district.Units[0].Code).With("values", new JsonObject()));
        var clean = await SubmitAndWaitAsync(district.Period, district.Units[1].Key, Documents.Valid(district.Units[1].Code));

        var accepted = await world.Host.PostOkAsync($"/api/v1/submissions/{warned}/accept", world.AdminKey, new { justification = "本单位本年度确无政府信息公开事项，经电话核实。" }, HttpStatusCode.OK);

        Assert.Equal("accepted", accepted["decision"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(accepted["decided_by"]!.GetValue<string>()));
        var seen = await (await world.Host.GetAsync($"/api/v1/submissions/{warned}", district.Units[0].Key)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("accepted_with_warnings", seen["status"]!.GetValue<string>());
        Assert.Equal("本单位本年度确无政府信息公开事项，经电话核实。", seen["acceptance"]!["note"]!.GetValue<string>());
        Assert.True(seen["acceptance"]!["decided_at"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.Equal((409, "submission_already_accepted"), await PostProblemAsync($"/api/v1/submissions/{warned}/accept", new { justification = "再次" }));
        Assert.Equal((409, "submission_has_no_warnings"), await PostProblemAsync($"/api/v1/submissions/{clean}/accept", new { justification = "全部通过" }));
        Assert.Equal((400, "invalid_request"), await PostProblemAsync($"/api/v1/submissions/{clean}/accept", new { }));
    }

    [Fact]
    public async Task The_diff_lists_each_changed_cell_with_its_printed_label_and_both_values()
    {
        var district = await OpenDistrictAsync("RD", 1);
        var unit = district.Units[0];
        var first = Documents.Valid(unit.Code);
        var id = await SubmitAndWaitAsync(district.Period, unit.Key, first);
        var before = first["values"]![Documents.CountCell]!.GetValue<decimal>();
        await SubmitAndWaitAsync(district.Period, unit.Key, Documents.Valid(unit.Code).WithCell(Documents.CountCell, before + 5).WithCell(Documents.MoneyCell, null));

        var diff = await (await world.Host.GetAsync($"/api/v1/submissions/{id}/diff?from=1&to=2", world.AdminKey)).ExpectAsync(HttpStatusCode.OK);

        var changes = diff["changes"]!.AsArray().ToDictionary(c => c!["cell_id"]!.GetValue<string>());
        Assert.Equal(2, changes.Count);
        Assert.Equal((before, before + 5), (changes[Documents.CountCell]!["old"]!.GetValue<decimal>(), changes[Documents.CountCell]!["new"]!.GetValue<decimal>()));
        ResponseExtensions.AssertChineseText(changes[Documents.CountCell]!["label"]!.GetValue<string>());
        Assert.Null(changes[Documents.MoneyCell]!["new"]);
        var same = await (await world.Host.GetAsync($"/api/v1/submissions/{id}/diff?from=2&to=2", world.OpsKey)).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(same["changes"]!.AsArray());
        using var missing = await world.Host.GetAsync($"/api/v1/submissions/{id}/diff?from=1", world.AdminKey);
        Assert.Equal((400, "invalid_request"), ((int)missing.StatusCode, (await missing.ProblemAsync())["code"]!.GetValue<string>()));
        using var unknown = await world.Host.GetAsync($"/api/v1/submissions/{id}/diff?from=1&to=9", world.AdminKey);
        Assert.Equal((404, "not_found"), ((int)unknown.StatusCode, (await unknown.ProblemAsync())["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_closed_period_reopened_for_one_unit_takes_its_submission_and_still_refuses_the_others()
    {
        var district = await OpenDistrictAsync("RE", 2);
        var (one, other) = (district.Units[0], district.Units[1]);
        await world.Host.PostOkAsync($"/api/v1/periods/{district.Period}/close", world.AdminKey, "", HttpStatusCode.OK);
        Assert.Equal((409, "period_closed"), await SubmitProblemAsync(district.Period, one.Key, Documents.Valid(one.Code)));

        var reopened = await world.Host.PostOkAsync($"/api/v1/periods/{district.Period}/units/{one.Code}/reopen", world.AdminKey, "", HttpStatusCode.OK);

        Assert.True(reopened["reopened"]!.GetValue<bool>());
        using (var accepted = await world.Host.PostJsonAsync($"/api/v1/periods/{district.Period}/submissions", one.Key, Documents.Valid(one.Code)))
        {
            await accepted.ExpectAsync(HttpStatusCode.Accepted);
        }

        Assert.Equal((409, "period_closed"), await SubmitProblemAsync(district.Period, other.Key, Documents.Valid(other.Code)));
        var board = await (await world.Host.GetAsync($"/api/v1/periods/{district.Period}/completeness", world.AdminKey)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([one.Code], board["units"]!.AsArray().Where(u => u!["reopened"]!.GetValue<bool>()).Select(u => u!["unit_code"]!.GetValue<string>()));

        var closed = await world.Host.PostOkAsync($"/api/v1/periods/{district.Period}/units/{one.Code}/close", world.AdminKey, "", HttpStatusCode.OK);

        Assert.False(closed["reopened"]!.GetValue<bool>());
        Assert.Equal((409, "period_closed"), await SubmitProblemAsync(district.Period, one.Key, Documents.Valid(one.Code)));
    }

    [Fact]
    public async Task Reopening_is_refused_for_an_open_period_and_for_a_unit_the_period_does_not_expect()
    {
        var district = await OpenDistrictAsync("RF", 1);

        Assert.Equal((409, "period_not_closed"), await PostProblemAsync($"/api/v1/periods/{district.Period}/units/{district.Units[0].Code}/reopen", new { }));
        await world.Host.PostOkAsync($"/api/v1/periods/{district.Period}/close", world.AdminKey, "", HttpStatusCode.OK);
        Assert.Equal((422, "unit_not_expected"), await PostProblemAsync($"/api/v1/periods/{district.Period}/units/X1/reopen", new { }));
        Assert.Equal((404, "period_not_found"), await PostProblemAsync($"/api/v1/periods/{Guid.NewGuid()}/units/X1/reopen", new { }));
    }

    private sealed record TestUnit(string Code, string Key);

    private sealed record TestDistrict(Guid Period, IReadOnlyList<TestUnit> Units);

    /// <summary>A district of its own with an open 2019 period, so that each test owns its units' states.</summary>
    private async Task<TestDistrict> OpenDistrictAsync(string code, int units)
    {
        var codes = Enumerable.Range(1, units).Select(i => $"{code}{i}").ToList();
        await world.Host.PostOkAsync("/api/v1/units", world.AdminKey,
            new object[] { new { code, name = $"审核测试区{code}", kind = OrgUnitKind.District } }
                .Concat(codes.Select(c => new { code = c, name = $"审核测试局{c}", kind = OrgUnitKind.Department, parent = code })).ToArray(),
            HttpStatusCode.OK);
        var period = await world.Host.PostOkAsync("/api/v1/periods", world.AdminKey,
            new { year = Documents.Year, form_id = Documents.FormatId, root_unit = code, due_date = "2020-01-31" }, HttpStatusCode.Created);
        var keys = new List<TestUnit>();
        foreach (var c in codes)
        {
            keys.Add(new TestUnit(c, await world.Host.IssueKeyAsync(ApiKeyRole.Unit, c)));
        }

        return new TestDistrict(period["id"]!.GetValue<Guid>(), keys);
    }

    private static JsonObject Broken(string unitCode)
    {
        var generated = new TableGenerator(new Random(5)).Generate(
            new ScenarioUnit(unitCode, "审核测试局", OrgUnitKind.Department, World.District, Busy: true), TableMistake.BrokenBalance);
        return JsonNode.Parse((generated.Document with { UnitCode = unitCode }).ToJson())!.AsObject();
    }

    private async Task<Guid> SubmitAndWaitAsync(Guid period, string key, JsonObject document)
    {
        var receipt = await world.Host.PostOkAsync($"/api/v1/periods/{period}/submissions", key, document, HttpStatusCode.Accepted);
        var id = receipt["submission_id"]!.GetValue<Guid>();
        var version = receipt["version"]!.GetValue<int>();
        // The intake host runs no validation worker: the tests validate the version the way the worker would.
        await world.Host.Services.Get<Aggregator.Application.Validation.SubmissionValidation>().ValidateAsync(id, version, TestContext.Current.CancellationToken);
        return id;
    }

    private async Task<(int Status, string Code)> PostProblemAsync(string path, object body)
    {
        using var response = await world.Host.PostJsonAsync(path, world.AdminKey, body);
        return ((int)response.StatusCode, (await response.ProblemAsync())["code"]!.GetValue<string>());
    }

    private async Task<(int Status, string Code)> SubmitProblemAsync(Guid period, string key, JsonObject document)
    {
        using var response = await world.Host.PostJsonAsync($"/api/v1/periods/{period}/submissions", key, document);
        return ((int)response.StatusCode, (await response.ProblemAsync())["code"]!.GetValue<string>());
    }
}

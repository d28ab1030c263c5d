using System.Net;
using Aggregator.Intake.Tests.Support;

namespace Aggregator.Intake.Tests;

/// <summary>The district office's own text of a period's report, through the API: stored whole, audited, checked.</summary>
public sealed class ReportTextTests(World world) : IClassFixture<World>
{
    private static object Text(string? contact = "联系电话：0577-63480000") => new
    {
        compiled_by = "温州市洞头区人民政府办公室",
        published_on = "2020-01-20",
        contact,
        proactive = "全区各单位主动公开政府信息。",
        problems = "部分单位信息更新不够及时。\n下一步将加强督查。",
        other = "  ",
    };

    [Fact]
    public async Task A_period_without_text_answers_empty_and_a_written_text_reads_back_with_who_wrote_it()
    {
        var fresh = await world.Host.PostOkAsync("/api/v1/periods", world.AdminKey,
            new { year = 2022, form_id = "fmt_2021", root_unit = "D", due_date = "2023-01-31" }, HttpStatusCode.Created);
        using var empty = await world.Host.GetAsync($"/api/v1/periods/{fresh["id"]}/report-text", world.AdminKey);
        var none = await empty.ExpectAsync(HttpStatusCode.OK);
        Assert.Null(none["updated_at"]);
        Assert.Null(none["compiled_by"]);

        using var put = await world.Host.SendAsync(Request.Put($"/api/v1/periods/{world.OpenPeriod}/report-text").WithJson(Text()).WithKey(world.AdminKey));
        var written = await put.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("温州市洞头区人民政府办公室", written["compiled_by"]!.GetValue<string>());
        Assert.Null(written["other"]);

        using var get = await world.Host.GetAsync($"/api/v1/periods/{world.OpenPeriod}/report-text", world.AdminKey);
        var read = await get.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("2020-01-20", read["published_on"]!.GetValue<string>());
        Assert.Equal("部分单位信息更新不够及时。\n下一步将加强督查。", read["problems"]!.GetValue<string>());
        Assert.Equal("全区各单位主动公开政府信息。", read["proactive"]!.GetValue<string>());
        Assert.NotNull(read["updated_at"]);
        Assert.False(string.IsNullOrEmpty(read["updated_by"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Every_write_is_audited_with_the_parts_written_and_not_the_text()
    {
        using var first = await world.Host.SendAsync(Request.Put($"/api/v1/periods/{world.ClosedPeriod}/report-text").WithJson(Text()).WithKey(world.AdminKey));
        await first.ExpectAsync(HttpStatusCode.OK);
        using var second = await world.Host.SendAsync(Request.Put($"/api/v1/periods/{world.ClosedPeriod}/report-text").WithJson(Text(contact: null)).WithKey(world.AdminKey));
        await second.ExpectAsync(HttpStatusCode.OK);

        using var response = await world.Host.GetAsync($"/api/v1/audit?target_type=period&target_id={world.ClosedPeriod}&page_size=10", world.AdminKey);
        var items = (await response.ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray();
        var actions = items.Select(i => i!["action"]!.GetValue<string>()).Where(a => a.StartsWith("report_text.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["report_text.updated", "report_text.created"], actions);
        var latest = items.First(i => i!["action"]!.GetValue<string>() == "report_text.updated")!;
        Assert.Equal("admin", latest["actor_role"]!.GetValue<string>());
        var parts = latest["details"]!["parts"]!.AsArray().Select(p => p!.GetValue<string>()).ToList();
        Assert.Equal(["compiled_by", "proactive", "problems"], parts);
        Assert.DoesNotContain("部分单位", latest["details"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_line_break_in_the_office_name_or_a_part_too_long_is_a_problem_naming_each_field_and_stores_nothing()
    {
        var before = await world.Host.SnapshotAsync();
        using var response = await world.Host.SendAsync(Request.Put($"/api/v1/periods/{world.OpenPeriod}/report-text")
            .WithJson(new { compiled_by = "办公室\n第二行", other = new string('字', 20_001) })
            .WithKey(world.AdminKey));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.Equal("invalid_request", problem["code"]!.GetValue<string>());
        Assert.Equal(["compiled_by", "other"], problem["errors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>()));
        Assert.Empty((await world.Host.SnapshotAsync()).DifferencesFrom(before));
    }

    [Fact]
    public async Task An_unknown_period_is_period_not_found_and_a_date_that_is_not_one_is_invalid()
    {
        using var unknown = await world.Host.SendAsync(Request.Put($"/api/v1/periods/{Guid.NewGuid()}/report-text").WithJson(Text()).WithKey(world.AdminKey));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("period_not_found", (await unknown.ProblemAsync())["code"]!.GetValue<string>());

        using var badDate = await world.Host.SendAsync(Request.Put($"/api/v1/periods/{world.OpenPeriod}/report-text")
            .WithJson(new { published_on = "明年春天" }).WithKey(world.AdminKey));
        Assert.Equal(HttpStatusCode.BadRequest, badDate.StatusCode);
    }

    [Fact]
    public async Task The_report_edition_is_public_or_internal_and_anything_else_is_refused()
    {
        using var bogus = await world.Host.GetAsync($"/api/v1/rollups/{world.Rollup}/report?format=html&edition=draft", world.AdminKey);
        Assert.Equal(HttpStatusCode.BadRequest, bogus.StatusCode);
        var problem = await bogus.ProblemAsync();
        Assert.Equal("invalid_request", problem["code"]!.GetValue<string>());
        Assert.Contains("draft", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        using var explicitPublic = await world.Host.GetAsync($"/api/v1/rollups/{world.Rollup}/report?format=html&edition=public", world.AdminKey);
        Assert.Equal(HttpStatusCode.OK, explicitPublic.StatusCode);
    }
}

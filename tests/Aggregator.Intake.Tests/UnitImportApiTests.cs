using System.Net;
using System.Text.Json.Nodes;
using Aggregator.Application.Units;
using Aggregator.Intake.Tests.Support;

namespace Aggregator.Intake.Tests;

/// <summary><c>POST /units/import</c>: the page's import for scripts, CSV or .xlsx, dry run first, whole or nothing.</summary>
public sealed class UnitImportApiTests(World world) : IClassFixture<World>
{
    private async Task<string> TwoUnitsAsync()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        await world.Host.PostOkAsync("/api/v1/units", world.AdminKey, new object[]
        {
            new { code = $"A{tag}", name = "甲局", kind = "department", parent = "D" },
            new { code = $"B{tag}", name = "乙局", kind = "department", parent = "D" },
        }, HttpStatusCode.OK);
        return tag;
    }

    private Task<HttpResponseMessage> ImportAsync(bool dryRun, byte[] body, string contentType) =>
        world.Host.SendAsync(Request.Post($"/api/v1/units/import?dryRun={(dryRun ? "true" : "false")}").WithBytes(body, contentType).WithKey(world.AdminKey));

    private async Task<Dictionary<string, JsonNode>> UnitsAsync()
    {
        using var response = await world.Host.GetAsync("/api/v1/units", world.AdminKey);
        return (await response.ExpectAsync(HttpStatusCode.OK)).AsArray().ToDictionary(unit => unit!["code"]!.GetValue<string>(), unit => unit!);
    }

    [Fact]
    public async Task A_dry_run_of_a_csv_list_answers_the_plan_and_stores_nothing()
    {
        var tag = await TwoUnitsAsync();
        var csv = $"code,name,kind,parent\nA{tag},甲局,department,D\nB{tag},乙局（改）,department,D\nC{tag},丙局,department,B{tag}\n";
        var before = await world.Host.SnapshotAsync();

        using var response = await ImportAsync(dryRun: true, System.Text.Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8");

        var plan = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.True(plan["dry_run"]!.GetValue<bool>());
        Assert.True(plan["can_apply"]!.GetValue<bool>());
        Assert.Equal((1, 1, 1), (plan["added"]!.GetValue<int>(), plan["changed"]!.GetValue<int>(), plan["unchanged"]!.GetValue<int>()));
        var lines = plan["lines"]!.AsArray();
        Assert.Equal(["unchanged", "changed", "added"], lines.Select(line => line!["action"]!.GetValue<string>()));
        Assert.Equal([2, 3, 4], lines.Select(line => line!["line"]!.GetValue<int>()));
        Assert.Equal(["名称：乙局 → 乙局（改）"], lines[1]!["changes"]!.AsArray().Select(change => change!.GetValue<string>()));
        Assert.Empty(plan["errors"]!.AsArray());
        Assert.Empty((await world.Host.SnapshotAsync()).DifferencesFrom(before));
    }

    [Fact]
    public async Task An_xlsx_list_with_chinese_headers_is_applied_whole()
    {
        var tag = await TwoUnitsAsync();
        var workbook = UnitWorkbooks.Build(
        [
            (1, ["单位代码", "单位名称", "类型", "上级代码"]),
            (2, [$"B{tag}", "乙局（新名）", "department", $"A{tag}"]),
            (3, [$"C{tag}", "丙镇", "township", "D"]),
        ]);

        using var response = await ImportAsync(dryRun: false, workbook, UnitList.XlsxContentType);

        var plan = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.False(plan["dry_run"]!.GetValue<bool>());
        Assert.Equal((1, 1), (plan["added"]!.GetValue<int>(), plan["changed"]!.GetValue<int>()));
        var units = await UnitsAsync();
        Assert.Equal(("乙局（新名）", $"A{tag}"), (units[$"B{tag}"]["name"]!.GetValue<string>(), units[$"B{tag}"]["parent"]!.GetValue<string>()));
        Assert.Equal(("丙镇", "township"), (units[$"C{tag}"]["name"]!.GetValue<string>(), units[$"C{tag}"]["kind"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_wrong_list_is_refused_with_every_wrong_row_and_nothing_of_it_is_stored()
    {
        var tag = await TwoUnitsAsync();
        var workbook = UnitWorkbooks.Build(
        [
            (1, ["代码", "名称", "类型", "上级"]),
            (2, [$"N{tag}", "新局", "department", "D"]),
            (3, [$"A{tag}", "甲局（改）", "department", "D"]),
            (4, [$"P{tag}", "无上级局", "department", "NOWHERE"]),
            (6, [$"Q{tag}", "错类型局", "planet", "D"]),
        ]);
        var before = await world.Host.SnapshotAsync();

        using var refused = await ImportAsync(dryRun: false, workbook, UnitList.XlsxContentType);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var problem = await refused.ProblemAsync();
        Assert.Equal("unit_list_invalid", problem["code"]!.GetValue<string>());
        Assert.Equal(["第 4 行", "第 6 行"], problem["errors"]!.AsArray().Select(error => error!["field"]!.GetValue<string>()));
        ResponseExtensions.AssertChineseText(problem["errors"]![0]!["message"]!.GetValue<string>());
        Assert.Empty((await world.Host.SnapshotAsync()).DifferencesFrom(before));

        using var dryRun = await ImportAsync(dryRun: true, workbook, UnitList.XlsxContentType);
        var plan = await dryRun.ExpectAsync(HttpStatusCode.OK);
        Assert.False(plan["can_apply"]!.GetValue<bool>());
        Assert.Equal([4, 6], plan["errors"]!.AsArray().Select(error => error!["line"]!.GetValue<int>()));
        Assert.Contains("NOWHERE", plan["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty((await world.Host.SnapshotAsync()).DifferencesFrom(before));
        Assert.DoesNotContain($"N{tag}", (await UnitsAsync()).Keys);
    }

    [Theory]
    [InlineData("application/json", 415, "unsupported_media_type")]
    [InlineData(null, 415, "unsupported_media_type")]
    public async Task A_body_of_another_type_is_refused(string? contentType, int status, string code)
    {
        using var response = await world.Host.SendAsync(Request.Post("/api/v1/units/import?dryRun=true")
            .WithBytes("""[{"code":"Z1","name":"某局"}]"""u8.ToArray(), contentType).WithKey(world.AdminKey));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(code, (await response.ProblemAsync())["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_csv_that_is_not_utf8_is_refused_in_words_and_a_damaged_workbook_too()
    {
        using var gbk = await ImportAsync(dryRun: false, [0x63, 0x6F, 0x64, 0x65, 0x2C, 0x6E, 0x61, 0x6D, 0x65, 0x0A, 0x51, 0x4C, 0x2C, 0xB6, 0xB4, 0x0A], "text/csv");
        var problem = await gbk.ProblemAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, gbk.StatusCode);
        Assert.Contains("UTF-8", problem["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        using var damaged = await ImportAsync(dryRun: true, [0x50, 0x4B, 0x03, 0x04, 1, 2, 3], UnitList.XlsxContentType);
        var plan = await damaged.ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(".xlsx", plan["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}

using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Aggregator.Application.Units;
using Aggregator.Intake.Tests.Support;
using Aggregator.Storage;

namespace Aggregator.Intake.Tests;

/// <summary>The office's unit management through the API: rename, move (never into a cycle), bulk unit keys, import.</summary>
public sealed class UnitManagementTests(World world) : IClassFixture<World>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpRequestMessage Patch(string code, object body) => new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/units/{code}").WithJson(body);

    private async Task<(string Top, string Middle, string Leaf)> TreeAsync()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var (top, middle, leaf) = ($"T{tag}", $"M{tag}", $"L{tag}");
        await world.Host.PostOkAsync("/api/v1/units", world.AdminKey, new object[]
        {
            new { code = top, name = "上级单位", kind = OrgUnitKind.District },
            new { code = middle, name = "中间单位", kind = OrgUnitKind.Department, parent = top },
            new { code = leaf, name = "下级单位", kind = OrgUnitKind.Township, parent = middle },
        }, HttpStatusCode.OK);
        return (top, middle, leaf);
    }

    private async Task<List<JsonNode>> AuditAsync(string targetType, string targetId)
    {
        using var response = await world.Host.GetAsync($"/api/v1/audit?target_type={targetType}&target_id={Uri.EscapeDataString(targetId)}&page_size=100", world.AdminKey);
        return [.. (await response.ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray().Select(item => item!)];
    }

    [Fact]
    public async Task A_unit_renamed_and_moved_reads_back_changed_and_each_change_is_audited()
    {
        var (top, middle, leaf) = await TreeAsync();

        using var response = await world.Host.SendAsync(Patch(leaf, new { name = "  新的下级单位 ", parent = top }).WithKey(world.AdminKey));

        var unit = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("新的下级单位", top), (unit["name"]!.GetValue<string>(), unit["parent"]!.GetValue<string>()));
        using var list = await world.Host.GetAsync("/api/v1/units", world.AdminKey);
        var stored = (await list.ExpectAsync(HttpStatusCode.OK)).AsArray().Single(u => u!["code"]!.GetValue<string>() == leaf)!;
        Assert.Equal(top, stored["parent"]!.GetValue<string>());
        var audit = await AuditAsync("org_unit", leaf);
        var moved = audit.Single(item => item["action"]!.GetValue<string>() == "unit.moved");
        Assert.Equal(middle, moved["details"]!["from"]!.GetValue<string>());
        Assert.Equal(top, moved["details"]!["to"]!.GetValue<string>());
        Assert.Single(audit, item => item["action"]!.GetValue<string>() == "unit.renamed");
    }

    [Fact]
    public async Task Moving_a_unit_under_its_own_descendant_is_refused_with_unit_move_cycle_and_changes_nothing()
    {
        var (top, _, leaf) = await TreeAsync();
        var before = await world.Host.SnapshotAsync();

        using var response = await world.Host.SendAsync(Patch(top, new { parent = leaf }).WithKey(world.AdminKey));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.Equal("unit_move_cycle", problem["code"]!.GetValue<string>());
        Assert.Contains("下级", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty((await world.Host.SnapshotAsync()).DifferencesFrom(before));
    }

    [Theory]
    [InlineData("NOPE-UNIT", """{"name":"某局"}""", 404, "unit_not_found")]
    [InlineData("U3", """{"parent":"NOPE-UNIT"}""", 400, "invalid_request")]
    [InlineData("U3", """{"parent":"U3"}""", 409, "unit_move_cycle")]
    [InlineData("U3", """{"name":"  "}""", 400, "invalid_request")]
    [InlineData("U3", "{}", 400, "invalid_request")]
    [InlineData("U3", """{"parent":"bad code!"}""", 400, "invalid_unit_code")]
    public async Task A_change_that_cannot_be_made_is_refused_with_its_code(string code, string body, int status, string expected)
    {
        using var response = await world.Host.SendAsync(Patch(code, body).WithKey(world.AdminKey));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(expected, (await response.ProblemAsync())["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bulk_keys_for_a_period_give_one_working_key_per_expected_unit_under_one_audit_event_without_secrets()
    {
        using var response = await world.Host.SendAsync(Request.Post("/api/v1/keys/bulk").WithJson(new { period_id = world.OpenPeriod }).WithKey(world.AdminKey));

        var issued = await response.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var keys = issued["keys"]!.AsArray();
        Assert.Equal(["U1", "U2", "U3"], keys.Select(k => k!["unit_code"]!.GetValue<string>()));
        Assert.Equal(3, issued["count"]!.GetValue<int>());
        foreach (var key in keys)
        {
            using var own = await world.Host.GetAsync($"/api/v1/periods/{world.OpenPeriod}", key!["key"]!.GetValue<string>());
            await own.ExpectAsync(HttpStatusCode.OK);
        }

        var events = (await AuditAsync("api_key", "*")).Where(item => item["action"]!.GetValue<string>() == "api_keys.issued_bulk").ToList();
        var audit = Assert.Single(events, item => item["details"]!["scope"]!.GetValue<string>() == $"period:{world.OpenPeriod}");
        var details = audit["details"]!.ToJsonString();
        Assert.All(keys, key => Assert.DoesNotContain(key!["key"]!.GetValue<string>(), details, StringComparison.Ordinal));
        Assert.All(keys, key => Assert.Contains(key!["prefix"]!.GetValue<string>(), details, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bulk_keys_as_csv_are_utf8_with_a_byte_order_mark_and_one_line_per_unit()
    {
        using var request = Request.Post("/api/v1/keys/bulk").WithJson(new { unit_codes = new[] { "U1", "X1" }, label = "年度填报" })
            .WithHeader("Accept", "text/csv").WithKey(world.AdminKey);

        using var response = await world.Host.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("单位代码,单位名称,密钥,密钥前缀,说明", lines[0]);
        Assert.Equal(["U1,测试区甲局", "X1,其他区甲局"], lines[1..].Select(line => string.Join(',', line.Split(',')[..2])));
        var x1Key = lines[2].Split(',')[2];
        using var signedIn = await world.Host.GetAsync("/api/v1/units", x1Key);
        Assert.Equal(HttpStatusCode.Forbidden, signedIn.StatusCode);
    }

    [Theory]
    [InlineData("""{"unit_codes":["U1","NOPE-UNIT"]}""", 400, "invalid_request")]
    [InlineData("""{"unit_codes":[]}""", 400, "invalid_request")]
    [InlineData("""{"period_id":"0190c8e5-0000-7000-8000-000000000000"}""", 404, "period_not_found")]
    [InlineData("""{}""", 400, "invalid_request")]
    public async Task A_bulk_issue_that_cannot_be_made_stores_no_key(string body, int status, string expected)
    {
        var before = await world.Host.SnapshotAsync();

        using var response = await world.Host.SendAsync(Request.Post("/api/v1/keys/bulk").WithJson(body).WithKey(world.AdminKey));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(expected, (await response.ProblemAsync())["code"]!.GetValue<string>());
        Assert.Empty((await world.Host.SnapshotAsync()).DifferencesFrom(before));
    }

    [Fact]
    public async Task An_import_names_every_wrong_line_and_stores_nothing_until_the_list_is_right()
    {
        var import = world.Host.Services.Get<UnitImport>();
        var tag = Guid.NewGuid().ToString("N")[..6];
        var wrong = $"""
            code,name,kind,parent
            N{tag},新区局,department,D
            ,无代码,department,D
            B{tag},错类型局,planet,D
            C{tag},无上级局,department,NOWHERE
            U3,测试区丙镇（改）,township,D
            """;
        var before = await world.Host.SnapshotAsync();

        var refused = await import.ApplyAsync(UnitList.ReadCsv(new StringReader(wrong)), Actor.Cli, Ct);

        Assert.False(refused.IsSuccess);
        Assert.Equal(["第 3 行", "第 4 行", "第 5 行"], refused.Problem.Errors.Select(error => error.Field));
        Assert.Empty((await world.Host.SnapshotAsync()).DifferencesFrom(before));

        var right = string.Join('\n', wrong.Split('\n').Where((_, i) => i is 0 or 1 or 5));
        var plan = await import.PlanAsync(UnitList.ReadCsv(new StringReader(right)), Ct);
        Assert.Equal([UnitImportAction.Add, UnitImportAction.Change], plan.Steps.Select(step => step.Action));
        Assert.Equal(["名称：测试区丙镇 → 测试区丙镇（改）"], plan.Steps[1].Changes);
        Assert.Empty((await world.Host.SnapshotAsync()).DifferencesFrom(before));

        var applied = await import.ApplyAsync(UnitList.ReadCsv(new StringReader(right)), Actor.Cli, Ct);
        Assert.True(applied.IsSuccess, applied.Problem?.Detail);
        using var list = await world.Host.GetAsync("/api/v1/units", world.AdminKey);
        var units = (await list.ExpectAsync(HttpStatusCode.OK)).AsArray();
        Assert.Contains(units, u => u!["code"]!.GetValue<string>() == $"N{tag}" && u["parent"]!.GetValue<string>() == "D");
        Assert.Contains(units, u => u!["code"]!.GetValue<string>() == "U3" && u["name"]!.GetValue<string>() == "测试区丙镇（改）");
    }

    [Fact]
    public async Task An_import_that_would_make_a_cycle_is_refused_on_the_line_that_makes_it()
    {
        var (top, _, leaf) = await TreeAsync();
        var list = $"code,name,kind,parent\n{top},上级单位,district,{leaf}\n";

        var plan = await world.Host.Services.Get<UnitImport>().PlanAsync(UnitList.ReadCsv(new StringReader(list)), Ct);

        var error = Assert.Single(plan.Errors);
        Assert.Equal("第 2 行", error.Where);
        Assert.Contains("循环", error.Message, StringComparison.Ordinal);
        Assert.False(plan.CanApply);
    }
}

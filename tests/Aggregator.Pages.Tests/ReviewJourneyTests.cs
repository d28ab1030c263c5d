using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Aggregator.Application.Security;
using Aggregator.Storage;
using Aggregator.Storage.Submissions;
using Aggregator.Testing.Waiting;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Aggregator.Pages.Tests;

/// <summary>
/// The office reviews submissions in a real browser: returns a rejected one with a reason that the department then
/// reads on its own page, accepts a warnings-only one with a justification, and compares two versions.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class ReviewJourneyTests(PagesHost host)
{
    // Units no other journey looks at, so that their states are this journey's own.
    private const string Audit = "QL-SJJ";
    private const string Forestry = "QL-LYJ";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_office_returns_a_rejected_table_with_a_reason_accepts_a_warnings_only_one_and_compares_versions()
    {
        // 结转下年度 two too many, so that 一 + 二 ≠ 三 + 四; the correction later changes exactly these two cells.
        var broken = await SubmitAndWaitAsync(WithCarryOutPlusTwo(host.DocumentAs("QL-FGJ", Audit, "区审计局")));
        var page = await host.NewPageAsync();
        await PagesHost.SignInAsync(page, host.AdminKey);

        // 1. A table the rules rejected goes back to the department with the office's reason.
        await page.GotoAsync($"/admin/submissions/{broken.SubmissionId}");
        await Expect(page.Locator("dl.facts .tag")).ToHaveTextAsync("未通过");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "说明理由后接受" })).ToHaveCountAsync(0);
        await PagesHost.ScreenshotAsync(page, "14-review-rejected-submission");
        await page.GetByLabel("退回原因（填报单位将看到）").FillAsync("表三第一项加第二项之和与第三项加第四项之和不等，请核对结转下年度后重新报送。");
        await page.GetByRole(AriaRole.Button, new() { Name = "退回修改" }).ClickAsync();
        await Expect(page.Locator(".alert[role=alert]")).ToContainTextAsync($"已退回第 {broken.Version} 版");
        await Expect(page.Locator("dl.facts .tag")).ToHaveTextAsync("退回");
        await Expect(page.Locator("section.review")).ToContainTextAsync("请核对结转下年度后重新报送");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "退回修改" })).ToHaveCountAsync(0);
        await PagesHost.ScreenshotAsync(page, "15-review-returned");

        var unitKey = (await host.Get<ApiKeyRegistry>().IssueAsync(new NewApiKey(ApiKeyRole.Unit, Audit, "区审计局"), Actor.Cli, Ct)).Key;
        var department = await host.NewPageAsync();
        await PagesHost.SignInAsync(department, unitKey);
        await department.GotoAsync($"/unit/submissions/{broken.SubmissionId}");
        await Expect(department.Locator("dl.facts .tag")).ToHaveTextAsync("退回");
        await Expect(department.Locator("section.review")).ToContainTextAsync("区政府办公室已退回，请修改后重新报送。");
        await Expect(department.Locator("section.review")).ToContainTextAsync("退回原因：表三第一项加第二项之和与第三项加第四项之和不等");
        await PagesHost.ScreenshotAsync(department, "16-review-department-sees-reason");
        using (var api = host.BearerClient(unitKey))
        {
            var seen = await api.GetFromJsonAsync<JsonObject>($"/api/v1/submissions/{broken.SubmissionId}", Ct);
            Assert.Equal("returned", seen!["status"]!.GetValue<string>());
            Assert.StartsWith("表三第一项加第二项之和", seen["returned"]!["note"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        // 2. A table whose only failing rules are warnings is accepted with a justification, shown on the board too.
        var emptied = JsonNode.Parse(host.DocumentAs("QL-FGJ", Forestry, "区林业局"))!.AsObject();
        emptied["values"] = new JsonObject();
        var warned = await SubmitAndWaitAsync(emptied.ToJsonString());
        await page.GotoAsync($"/admin/submissions/{warned.SubmissionId}");
        await Expect(page.Locator("dl.facts .tag")).ToHaveTextAsync("有警告");
        await page.GetByLabel("接受理由（只有警告时可说明理由后接受）").FillAsync("本单位本年度未收到政府信息公开申请，经电话核实属实。");
        await page.GetByRole(AriaRole.Button, new() { Name = "说明理由后接受" }).ClickAsync();
        await Expect(page.Locator(".alert[role=alert]")).ToContainTextAsync($"已说明理由接受第 {warned.Version} 版");
        await Expect(page.Locator("section.review")).ToContainTextAsync("理由：本单位本年度未收到政府信息公开申请，经电话核实属实。");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "说明理由后接受" })).ToHaveCountAsync(0);
        await PagesHost.ScreenshotAsync(page, "17-review-accepted-with-justification");

        await page.GotoAsync($"/admin/periods/{host.Period.Id}?q=QL-");
        var forestry = page.Locator("table.board tbody tr", new() { HasText = Forestry });
        await Expect(forestry).ToContainTextAsync("已说明理由接受");
        await Expect(forestry).ToContainTextAsync("理由：本单位本年度未收到政府信息公开申请");
        var audit = page.Locator("table.board tbody tr", new() { HasText = Audit });
        await Expect(audit.Locator(".tag").First).ToHaveTextAsync("退回");
        await Expect(audit).ToContainTextAsync("退回原因：表三第一项加第二项之和");
        await page.GetByLabel("状态").SelectOptionAsync(new SelectOptionValue { Label = "退回" });
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await Expect(page.Locator("table.board tbody tr", new() { HasText = Audit })).ToHaveCountAsync(1);
        await PagesHost.ScreenshotAsync(page, "18-review-board-returned");

        // 3. The department's corrected table supersedes the returned one; the office sees what changed.
        var corrected = await SubmitAndWaitAsync(host.DocumentAs("QL-FGJ", Audit, "区审计局"));
        Assert.Equal(broken.SubmissionId, corrected.SubmissionId);
        await page.GotoAsync($"/admin/submissions/{broken.SubmissionId}");
        await Expect(page.Locator("dl.facts .tag")).ToHaveTextAsync("通过");
        await Expect(page.Locator("section.review")).ToHaveCountAsync(0);
        await page.GetByLabel("原版本").SelectOptionAsync(new SelectOptionValue { Label = $"第 {broken.Version} 版" });
        await page.GetByLabel("新版本").SelectOptionAsync(new SelectOptionValue { Label = $"第 {corrected.Version} 版" });
        await page.GetByRole(AriaRole.Button, new() { Name = "比较" }).ClickAsync();
        var changes = page.Locator("table.changes");
        await Expect(changes.Locator("caption")).ToContainTextAsync($"第 {broken.Version} 版 → 第 {corrected.Version} 版");
        await Expect(changes.Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(changes.Locator("tbody tr").First).ToContainTextAsync("结转下年度");
        await Expect(changes.Locator("tbody")).ToContainTextAsync("s3.r4_carry_out.natural_person");
        await PagesHost.ScreenshotAsync(page, "19-review-diff");
    }

    [Fact]
    public async Task The_office_reopens_a_closed_period_for_one_unit_from_the_board_and_closes_it_again()
    {
        // A period of its own (no other journey uses 2017), closed before the board is opened.
        var periods = host.Get<Aggregator.Application.Periods.PeriodService>();
        var opened = await periods.OpenAsync(new Aggregator.Application.Periods.OpenPeriodRequest(2017, "stat_pre2019", "QL", new DateOnly(2018, 1, 31)), Actor.Cli, Ct);
        Assert.True(opened.IsSuccess, opened.Problem?.Detail);
        await periods.CloseAsync(opened.Value.Id, Actor.Cli, Ct);
        var page = await host.NewPageAsync();
        await PagesHost.SignInAsync(page, host.AdminKey);
        await page.GotoAsync($"/admin/periods/{opened.Value.Id}");
        var forestry = page.Locator("table.board tbody tr", new() { HasText = Forestry });

        await forestry.GetByRole(AriaRole.Button, new() { Name = "重新开放 区林业局" }).ClickAsync();

        await Expect(page.Locator(".alert.ok")).ToContainTextAsync($"已为单位 {Forestry} 重新开放填报期");
        await Expect(forestry).ToContainTextAsync("已为该单位重新开放");
        await Expect(page.Locator(".tag", new() { HasText = "已为该单位重新开放" })).ToHaveCountAsync(1);
        Assert.True(await periods.IsReopenedForAsync(opened.Value.Id, Forestry, Ct));

        await forestry.GetByRole(AriaRole.Button, new() { Name = "再次关闭 区林业局" }).ClickAsync();

        await Expect(page.Locator(".alert.ok")).ToContainTextAsync($"已对单位 {Forestry} 再次关闭填报期");
        await Expect(page.Locator(".tag", new() { HasText = "已为该单位重新开放" })).ToHaveCountAsync(0);
        Assert.False(await periods.IsReopenedForAsync(opened.Value.Id, Forestry, Ct));
    }

    private static string WithCarryOutPlusTwo(string json)
    {
        var document = JsonNode.Parse(json)!.AsObject();
        foreach (var cell in new[] { "s3.r4_carry_out.natural_person", "s3.r4_carry_out.total" })
        {
            document["values"]![cell] = (document["values"]![cell]?.GetValue<decimal>() ?? 0) + 2;
        }

        return document.ToJsonString();
    }

    private async Task<StoredVersion> SubmitAndWaitAsync(string json)
    {
        var submitted = await host.SubmitAsOfficeAsync(json);
        Assert.True(submitted.IsSuccess, submitted.Problem?.Detail);
        var receipt = submitted.Value.Receipt!;
        var submissions = host.Get<SubmissionRepository>();
        await Poll.UntilAsync(
            async token => (await submissions.GetAsync(receipt.SubmissionId, receipt.Version, token))?.Status is not (null or SubmissionStatus.Received),
            $"version {receipt.Version} of {receipt.UnitCode} validated",
            TimeSpan.FromSeconds(30),
            Ct);
        return new StoredVersion(receipt.SubmissionId, receipt.Version);
    }
}

using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Aggregator.Pages.Tests;

/// <summary>The office writes the report's own text for a period; a unit cannot reach the page.</summary>
[Collection(PagesCollection.Name)]
public sealed class ReportTextPageTests(PagesHost host)
{
    private const string Office = "青岚区人民政府办公室";
    private const string Proactive = "全区通过政府门户网站主动公开政府信息。\n<b>加粗</b><script>window.__pwned=1</script>";

    [Fact]
    public async Task The_office_saves_the_report_text_and_finds_it_kept_after_a_reload()
    {
        var page = await host.NewPageAsync();
        await PagesHost.SignInAsync(page, host.AdminKey);
        await page.GotoAsync($"/admin/periods/{host.Period.Id}/rollups");
        await page.GetByRole(AriaRole.Link, new() { Name = "报告文字（编制单位、总体情况、五、六等）" }).ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("报告文字");

        // The service's own limit, with its words, and nothing stored.
        await page.GetByLabel("编制单位（全称）").FillAsync(new string('办', 201));
        var refused = await page.RunAndWaitForResponseAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync(), r => r.Request.Method == "POST");
        Assert.Equal(400, refused.Status);
        await Expect(page.Locator(".alert.error")).ToContainTextAsync("编制单位（全称）：不能超过 200 个字符");
        Assert.Null(await host.Get<Aggregator.Application.Reports.ReportTextService>().GetAsync(host.Period.Id, TestContext.Current.CancellationToken));

        await page.GetByLabel("编制单位（全称）").FillAsync(Office);
        await page.GetByLabel("（一）主动公开").FillAsync(Proactive);
        await page.GetByLabel("发布日期").FillAsync("2020-01-20");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Expect(page.Locator(".alert.ok")).ToContainTextAsync("已保存报告文字");
        await Expect(page.Locator(".alert.ok")).ToContainTextAsync("请重新发起汇总查看");

        await page.ReloadAsync();
        await Expect(page.GetByLabel("编制单位（全称）")).ToHaveValueAsync(Office);
        await Expect(page.GetByLabel("（一）主动公开")).ToHaveValueAsync(Proactive);
        await Expect(page.GetByLabel("发布日期")).ToHaveValueAsync("2020-01-20");
        await Expect(page.Locator(".alert.ok")).ToHaveCountAsync(0);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__pwned === undefined"));
        Assert.Contains("&lt;script&gt;window.__pwned=1&lt;/script&gt;", await page.ContentAsync(), StringComparison.Ordinal);
        await PagesHost.ScreenshotAsync(page, "13-report-text");

        var stored = await host.Get<Aggregator.Application.Reports.ReportTextService>().GetTextAsync(host.Period.Id, TestContext.Current.CancellationToken);
        Assert.Equal(Office, stored!.CompiledBy);
        Assert.Equal(Proactive, stored.Proactive);
    }

    [Fact]
    public async Task A_unit_key_is_refused_the_report_text_page()
    {
        var page = await host.NewPageAsync();
        await PagesHost.SignInAsync(page, host.TownshipKey);
        var response = await page.GotoAsync($"/admin/periods/{host.Period.Id}/report-text");
        Assert.Equal(403, response!.Status);
        Assert.Equal(0, await page.GetByLabel("编制单位（全称）").CountAsync());
    }
}

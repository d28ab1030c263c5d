using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Aggregator.Pages.Tests;

[Collection(PagesCollection.Name)]
public sealed class OpsJourneyTests(PagesHost host)
{
    [Fact]
    public async Task Ops_see_health_the_outbox_the_queues_of_this_mode_and_the_last_rollups()
    {
        var page = await host.NewPageAsync();
        await PagesHost.SignInAsync(page, host.OpsKey);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "主导航" }).GetByRole(AriaRole.Link, new() { Name = "运维" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("运维");
        await Expect(page.Locator("section", new() { HasText = "健康状况" })).ToContainTextAsync("正常");
        await Expect(page.Locator("section", new() { HasText = "发件箱" })).ToContainTextAsync("待发布");
        // The embedded mode has no broker: the page says so instead of showing an empty table.
        await Expect(page.Locator("section", new() { HasText = "消息队列" })).ToContainTextAsync("嵌入模式");
        await Expect(page.Locator("section", new() { HasText = "最近的汇总" })).ToContainTextAsync("已完成");
        await PagesHost.ScreenshotAsync(page, "12-ops");

        var response = await page.GotoAsync($"/admin/periods/{host.Period.Id}");
        Assert.Equal(403, response!.Status);
    }
}

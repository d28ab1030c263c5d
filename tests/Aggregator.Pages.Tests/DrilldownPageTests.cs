using System.Globalization;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Aggregator.Pages.Tests;

/// <summary>The office follows a consolidated number down to the units and versions it was summed from.</summary>
[Collection(PagesCollection.Name)]
public sealed class DrilldownPageTests(PagesHost host)
{
    [Fact]
    public async Task Clicking_a_total_on_the_rollup_page_lists_each_units_version_and_value_adding_up_to_it()
    {
        var page = await host.NewPageAsync();
        await PagesHost.SignInAsync(page, host.AdminKey);
        await page.GotoAsync($"/admin/periods/{host.Period.Id}/rollups");
        await page.GetByRole(AriaRole.Button, new() { Name = "发起汇总" }).ClickAsync();
        await page.WaitForURLAsync("**/admin/rollups/*");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "下载汇总报告" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var rollupUrl = page.Url;

        var figure = page.Locator("section.figures table").First.Locator("tr", new() { HasText = "本年新收政府信息公开申请数量" });
        var total = (await figure.Locator("a").InnerTextAsync()).Trim();
        await figure.Locator("a").ClickAsync();

        await Expect(page.Locator("h1")).ToHaveTextAsync("合计数来源");
        await Expect(page.Locator("nav.crumbs li[aria-current]")).ToHaveTextAsync("青岚区");
        await Expect(page.Locator("#node-total")).ToHaveTextAsync(total);
        var rows = page.Locator("table.drilldown tbody tr");
        // Every expected unit of the district is listed: the summed ones with their version, the others marked.
        await Expect(rows).ToHaveCountAsync(host.Scenario.Units.Count + 1);
        await Expect(rows.Filter(new() { HasText = "区商务局" }).Locator(".tag")).ToHaveTextAsync("未通过或退回");
        var values = await page.Locator("table.drilldown tbody tr:has(.tag.accepted) td:nth-child(5)").AllInnerTextsAsync();
        Assert.Equal(Parse(total), values.Sum(Parse));
        Assert.Equal(total, (await page.Locator("table.drilldown tfoot td").InnerTextAsync()).Trim());
        await PagesHost.ScreenshotAsync(page, "30-drilldown");

        // The version link opens the very version that was summed.
        var education = rows.Filter(new() { HasText = "区教育局" });
        await education.GetByRole(AriaRole.Link, new() { Name = "第 1 版" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("区教育局 的报表");

        // A cell the form does not have is refused in words, with the way back.
        await page.GotoAsync(rollupUrl + "/drilldown?cell=s9.none.total");
        await Expect(page.Locator(".alert.error")).ToContainTextAsync("没有可汇总的单元格");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "← 返回汇总结果" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_unit_key_cannot_open_a_drill_down()
    {
        using var client = host.BearerClient(host.TownshipKey);
        using var response = await client.GetAsync($"/admin/rollups/{Guid.NewGuid()}/drilldown?cell=s3.r1_new.total", TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static decimal Parse(string text) =>
        decimal.Parse(text.Replace(",", "", StringComparison.Ordinal).Replace("万元", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
}

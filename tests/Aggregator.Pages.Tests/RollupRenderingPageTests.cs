using Aggregator.Application.Periods;
using Aggregator.Application.Units;
using Aggregator.Storage;
using Aggregator.Storage.Reports;
using Aggregator.Storage.Rollups;
using Aggregator.Storage.Units;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Aggregator.Pages.Tests;

/// <summary>The rollup page while the report renders: the public HTML report opens as soon as it is stored.</summary>
[Collection(PagesCollection.Name)]
public sealed class RollupRenderingPageTests(PagesHost host)
{
    [Fact]
    public async Task A_rendering_rollup_whose_HTML_report_is_stored_offers_it_and_says_the_other_formats_are_coming()
    {
        var ct = TestContext.Current.CancellationToken;
        // A district and period of their own, so that the rollup held in rendering is no other journey's latest; it is
        // announced to nobody, so nothing renders it meanwhile.
        Assert.True((await host.Get<UnitRegistry>().UpsertAsync(
            [new UnitRegistration("XS", "西山区", OrgUnitKind.District, null), new UnitRegistration("XS-JYJ", "西山区教育局", OrgUnitKind.Department, "XS")],
            Actor.Cli,
            ct)).IsSuccess);
        var period = (await host.Get<PeriodService>().OpenAsync(
            new OpenPeriodRequest(host.Period.Year, host.Period.FormId, "XS", host.Period.DueDate), Actor.Cli, ct)).Value;
        var rollups = host.Get<RollupRepository>();
        var rollupId = await rollups.CreateAsync(period.Id, "XS", Actor.Cli, _ => [], ct);
        Assert.True(await rollups.StoreSumsAsync(rollupId, [], [], [], [], ct));

        var page = await host.NewPageAsync();
        await PagesHost.SignInAsync(page, host.AdminKey);
        await page.GotoAsync($"/admin/rollups/{rollupId}");
        await Expect(page.Locator("dl.facts .tag").First).ToHaveTextAsync("生成报告中");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "网页版（HTML，可打印）" })).ToHaveCountAsync(0);

        Assert.True(await rollups.StoreReportAsync(rollupId, ReportFormat.Html, "<!doctype html><html lang=\"zh-CN\"><body><h1>西山区汇总报告</h1></body></html>", ct));
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "汇总报告（网页版已生成）" })).ToBeVisibleAsync();
        await Expect(page.Locator("section.card", new() { HasText = "网页版已生成" })).ToContainTextAsync("仍在生成");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Word 文档（.docx）" })).ToHaveCountAsync(0);
        await PagesHost.ScreenshotAsync(page, "49-rollup-html-readable");

        await page.GetByRole(AriaRole.Link, new() { Name = "网页版（HTML，可打印）" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("西山区汇总报告");
    }
}

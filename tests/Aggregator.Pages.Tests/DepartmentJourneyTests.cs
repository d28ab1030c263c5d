using System.Text;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Aggregator.Pages.Tests;

/// <summary>A township in a real browser: its own periods, a dry-run on its own tables, a submission, and nothing of others.</summary>
[Collection(PagesCollection.Name)]
public sealed class DepartmentJourneyTests(PagesHost host)
{
    [Fact]
    public async Task A_township_dry_runs_its_file_sees_the_failing_cells_then_submits_a_corrected_one_and_sees_the_verdict()
    {
        var page = await host.NewPageAsync();
        await PagesHost.SignInAsync(page, host.TownshipKey);
        await page.GetByRole(AriaRole.Link, new() { Name = "本单位的填报期" }).ClickAsync();
        // Other journeys open periods of other years on the same host: the row is the one whose year cell is 2019.
        var row = page.Locator("table.grid tbody tr").Filter(new() { Has = page.GetByRole(AriaRole.Cell, new() { Name = "2019", Exact = true }) });
        await Expect(row).ToContainTextAsync("第 1 版");
        await PagesHost.ScreenshotAsync(page, "08-unit-periods");
        await row.GetByRole(AriaRole.Link, new() { Name = "上传与提交" }).ClickAsync();

        var broken = host.Scenario.Submissions.Single(s => s.Unit.Code == "QL-HXZ").Document.ToJson();
        await page.GetByLabel("报表文件").SetInputFilesAsync(new FilePayload { Name = "荷溪镇.json", MimeType = "application/json", Buffer = Encoding.UTF8.GetBytes(broken) });
        await page.GetByRole(AriaRole.Button, new() { Name = "试校验（不保存）" }).ClickAsync();
        await Expect(page.Locator("h2", new() { HasText = "试校验结果" })).ToContainTextAsync("未通过");
        Assert.True(await page.Locator("table.printed td.bad.error").CountAsync() > 0);
        await Expect(page.Locator(".sheet-notes").First).ToContainTextAsync("第一项加第二项之和");
        await PagesHost.ScreenshotAsync(page, "09-unit-dry-run-rejected");

        var corrected = host.DocumentAs("QL-FGJ", "QL-HXZ", "荷溪镇");
        await page.GetByLabel("报表文件").SetInputFilesAsync(new FilePayload { Name = "荷溪镇.json", MimeType = "application/json", Buffer = Encoding.UTF8.GetBytes(corrected) });
        await page.GetByRole(AriaRole.Button, new() { Name = "试校验（不保存）" }).ClickAsync();
        await Expect(page.Locator("h2", new() { HasText = "试校验结果" })).ToContainTextAsync("通过");

        await page.GetByLabel("报表文件").SetInputFilesAsync(new FilePayload { Name = "荷溪镇.json", MimeType = "application/json", Buffer = Encoding.UTF8.GetBytes(corrected) });
        await page.GetByRole(AriaRole.Button, new() { Name = "提交" }).ClickAsync();
        await page.WaitForURLAsync("**/unit/submissions/*");
        await Expect(page.Locator("dl.facts")).ToContainTextAsync("第 2 版");
        await Expect(page.Locator("dl.facts .tag")).ToHaveTextAsync("通过", new() { Timeout = 20_000 });
        await Expect(page.Locator(".alert.ok")).ToContainTextAsync("全部勾稽关系校验通过");
        await PagesHost.ScreenshotAsync(page, "10-unit-submitted");
    }

    [Fact]
    public async Task A_township_cannot_reach_another_units_submission_or_the_office_pages()
    {
        var page = await host.NewPageAsync();
        await PagesHost.SignInAsync(page, host.TownshipKey);
        var other = await host.SubmissionOfAsync("QL-SWJ");

        var response = await page.GotoAsync($"/unit/submissions/{other}");
        Assert.Equal(403, response!.Status);
        await Expect(page.Locator(".alert.error")).ToContainTextAsync("不能查看其他单位的报表");
        Assert.Equal(0, await page.Locator("table.printed").CountAsync());
        await PagesHost.ScreenshotAsync(page, "11-unit-denied");

        response = await page.GotoAsync($"/admin/submissions/{other}");
        Assert.Equal(403, response!.Status);
        Assert.DoesNotContain("区商务局", await page.ContentAsync(), StringComparison.Ordinal);

        response = await page.GotoAsync($"/unit/periods/{Guid.NewGuid()}");
        Assert.Equal(404, response!.Status);
    }
}

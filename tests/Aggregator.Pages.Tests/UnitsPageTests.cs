using System.Net;
using System.Text;
using Aggregator.Storage.Audit;
using Aggregator.Storage.Units;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Aggregator.Pages.Tests;

/// <summary>The office manages the unit tree: imports a list (a wrong line first), moves a unit, issues every unit a key.</summary>
[Collection(PagesCollection.Name)]
public sealed class UnitsPageTests(PagesHost host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_office_imports_units_from_csv_after_fixing_a_wrong_line_and_moves_one_refusing_a_cycle()
    {
        var tag = Guid.NewGuid().ToString("N")[..4].ToUpperInvariant();
        var (bureau, office) = ($"QL-T{tag}A", $"QL-T{tag}B");
        var root = host.Scenario.Root.Code;
        var units = host.Get<UnitRepository>();
        var page = await host.NewPageAsync();
        await PagesHost.SignInAsync(page, host.AdminKey);
        await page.GotoAsync("/admin/periods");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "主导航" }).GetByRole(AriaRole.Link, new() { Name = "单位" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("单位管理");
        await Expect(page.Locator(".tree")).ToContainTextAsync("区发展和改革局");

        // Pasted, with one wrong line: the dry run names it and offers no confirmation.
        await page.GetByLabel("单位清单").FillAsync($"code,name,kind,parent\n{bureau},试点数据局,department,{root}\n{office},试点数据局办公室,planet,{bureau}\n");
        await page.GetByRole(AriaRole.Button, new() { Name = "预览（不保存）" }).ClickAsync();
        await Expect(page.Locator("#preview .alert.error")).ToContainTextAsync("第 3 行：单位类型“planet”不正确");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "确认导入" })).ToHaveCountAsync(0);
        await PagesHost.ScreenshotAsync(page, "20-units-import-wrong-line");
        Assert.Null(await units.GetAsync(bureau, Ct));

        // Corrected and uploaded as a file (UTF-8 with BOM, as Excel saves it): previewed, then confirmed.
        await page.GetByLabel("单位清单").FillAsync("");
        var fixedList = $"code,name,kind,parent\r\n{bureau},试点数据局,department,{root}\r\n{office},\"试点数据局办公室, 综合科\",other,{bureau}\r\n";
        await page.GetByLabel("或选择 Excel（.xlsx）或 CSV 文件").SetInputFilesAsync(new FilePayload
        {
            Name = "units.csv", MimeType = "text/csv", Buffer = [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(fixedList)],
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "预览（不保存）" }).ClickAsync();
        await Expect(page.Locator("#preview")).ToContainTextAsync("新增 2 个");
        await Expect(page.Locator("#preview .alert.error")).ToHaveCountAsync(0);
        await PagesHost.ScreenshotAsync(page, "21-units-import-preview");
        Assert.Null(await units.GetAsync(bureau, Ct));
        await page.GetByRole(AriaRole.Button, new() { Name = "确认导入" }).ClickAsync();
        await Expect(page.Locator(".alert.ok")).ToContainTextAsync("已导入：新增 2 个单位");
        Assert.Equal(("试点数据局办公室, 综合科", bureau), ((await units.GetAsync(office, Ct))!.Name, (await units.GetAsync(office, Ct))!.ParentCode));
        await Expect(page.Locator(".tree li", new() { HasText = "试点数据局办公室, 综合科" }).Last).ToContainTextAsync(office);

        // A unit cannot go below its own descendant; it can go elsewhere.
        await page.GetByLabel("单位", new() { Exact = true }).Nth(1).SelectOptionAsync(bureau);
        await page.GetByLabel("新上级").SelectOptionAsync(office);
        await page.GetByRole(AriaRole.Button, new() { Name = "移动" }).ClickAsync();
        await Expect(page.Locator(".alert.error")).ToContainTextAsync("会形成循环");
        Assert.Equal(root, (await units.GetAsync(bureau, Ct))!.ParentCode);

        await page.Locator("#move-code").SelectOptionAsync(office);
        await page.GetByLabel("新上级").SelectOptionAsync(root);
        await page.GetByRole(AriaRole.Button, new() { Name = "移动" }).ClickAsync();
        await Expect(page.Locator(".alert.ok")).ToContainTextAsync($"移到 {root} 之下");
        Assert.Equal(root, (await units.GetAsync(office, Ct))!.ParentCode);
        await PagesHost.ScreenshotAsync(page, "22-units-moved");
        var audit = await host.Get<AuditLogRepository>().ListAsync(0, 10, "org_unit", office, Ct);
        Assert.Contains(audit.Items, item => item.Action == "unit.moved" && item.Actor != "cli");
    }

    [Fact]
    public async Task The_office_issues_every_unit_of_the_period_a_key_in_one_download_and_each_key_signs_in()
    {
        var page = await host.NewPageAsync();
        await PagesHost.SignInAsync(page, host.AdminKey);
        await page.GotoAsync("/admin/units");
        await page.GetByLabel("填报期").SelectOptionAsync(host.Period.Id.ToString());

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "签发并下载密钥" }).ClickAsync());

        Assert.EndsWith(".csv", download.SuggestedFilename, StringComparison.Ordinal);
        var saved = Path.Combine(PagesHost.ScreenshotDirectory, "..", "unit-keys-sample.csv");
        await download.SaveAsAsync(saved);
        var bytes = await File.ReadAllBytesAsync(saved, Ct);
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var rows = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(',')).ToList();
        var expected = (await host.Get<Aggregator.Storage.Periods.PeriodRepository>().GetExpectedUnitsAsync(host.Period.Id, Ct)).Select(unit => unit.Code).Order(StringComparer.Ordinal);
        Assert.Equal(expected, rows.Select(row => row[0]));
        Assert.Contains(rows, row => row[0] == "QL-FGJ" && row[1] == "区发展和改革局");
        File.Delete(saved);

        foreach (var row in rows)
        {
            using var client = host.BearerClient(row[2]);
            using var response = await client.GetAsync($"/api/v1/periods/{host.Period.Id}", Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{row[0]}'s key: {(int)response.StatusCode}");
        }

        var unitPage = await host.NewPageAsync();
        await PagesHost.SignInAsync(unitPage, rows.Single(row => row[0] == "QL-FGJ")[2]);
        await Expect(unitPage.Locator(".who")).ToContainTextAsync("QL-FGJ");
        var refused = await unitPage.GotoAsync("/admin/units");
        Assert.Equal(403, refused!.Status);

        var bulk = await host.Get<AuditLogRepository>().ListAsync(0, 50, "api_key", "*", Ct);
        var issued = Assert.Single(bulk.Items, item => item.Action == "api_keys.issued_bulk" && item.Details!.Contains(host.Period.Id.ToString(), StringComparison.Ordinal));
        Assert.All(rows, row => Assert.DoesNotContain(row[2], issued.Details!, StringComparison.Ordinal));
        await PagesHost.ScreenshotAsync(page, "23-units-keys");
    }

    [Fact]
    public async Task An_unknown_period_opened_by_the_office_shows_the_html_404_page_in_the_site_layout()
    {
        var page = await host.NewPageAsync();
        await PagesHost.SignInAsync(page, host.AdminKey);

        var response = await page.GotoAsync($"/admin/periods/{Guid.NewGuid()}");

        Assert.Equal(404, response!.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync("页面不存在");
        await Expect(page.Locator(".alert.error")).ToContainTextAsync("找不到这个页面或记录");
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "主导航" })).ToContainTextAsync("单位");
        await PagesHost.ScreenshotAsync(page, "24-error-404");
    }
}

using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Aggregator.Pages.Tests;

/// <summary>The district office in a real browser: sign in, open a period, watch the board, a rejected submission, the rollup.</summary>
[Collection(PagesCollection.Name)]
public sealed class OfficeJourneyTests(PagesHost host)
{
    [Fact]
    public async Task The_office_signs_in_with_its_key_and_opens_a_period()
    {
        var page = await host.NewPageAsync();
        await page.GotoAsync("/");
        Assert.Contains("/signin", page.Url, StringComparison.Ordinal);
        Assert.Equal("zh-CN", await page.Locator("html").GetAttributeAsync("lang"));
        await PagesHost.ScreenshotAsync(page, "01-signin");

        await PagesHost.SignInAsync(page, host.AdminKey);
        Assert.DoesNotContain(host.AdminKey, page.Url, StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Link, new() { Name = "填报期与报送情况" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("填报期");

        await page.GetByLabel("报告年度").FillAsync("2020");
        await page.GetByLabel("截止日期").FillAsync("2021-01-31");
        await page.GetByRole(AriaRole.Button, new() { Name = "开启" }).ClickAsync();
        await Expect(page.Locator(".alert")).ToContainTextAsync("已开启 2020 年度填报期");
        await Expect(page.Locator("table.grid tbody tr").Filter(new() { Has = page.GetByRole(AriaRole.Cell, new() { Name = "2020", Exact = true }) })).ToContainTextAsync("2019 年格式");
        await PagesHost.ScreenshotAsync(page, "02-periods");

        // Opening the same year again is refused with the API's words, not an error page.
        await page.GetByLabel("报告年度").FillAsync("2020");
        await page.GetByLabel("截止日期").FillAsync("2021-01-31");
        await page.GetByRole(AriaRole.Button, new() { Name = "开启" }).ClickAsync();
        await Expect(page.Locator(".alert.error")).ToContainTextAsync("已经开启");
    }

    [Fact]
    public async Task The_board_shows_every_unit_with_its_status_lateness_and_failing_rules_and_fills_live()
    {
        var page = await host.NewPageAsync();
        await PagesHost.SignInAsync(page, host.AdminKey);
        await page.GotoAsync($"/admin/periods/{host.Period.Id}");

        var commerce = page.Locator("table.board tbody tr", new() { HasText = "QL-SWJ" });
        await Expect(commerce.Locator(".tag").First).ToHaveTextAsync("未通过");
        await Expect(commerce).ToContainTextAsync("逾期 3 天");
        await Expect(commerce).ToContainTextAsync("（七）总计");
        var statistics = page.Locator("table.board tbody tr", new() { HasText = "QL-TJJ" });
        await Expect(statistics).ToContainTextAsync("警告 “第二十条第（九）项 政府集中采购（采购总金额）”填写为“89.37”");
        var missing = page.Locator("table.board tbody tr", new() { HasText = "QL-MLX" });
        await Expect(missing.Locator(".tag").First).ToHaveTextAsync("未报送");
        await PagesHost.ScreenshotAsync(page, "03-board");

        // 梅岭乡 submits while the board is open: its row turns without a reload.
        var submitted = await host.SubmitAsOfficeAsync(host.DocumentAs("QL-FGJ", "QL-MLX", "梅岭乡"));
        Assert.True(submitted.IsSuccess, submitted.Problem?.Detail);
        await Expect(missing.Locator(".tag").First).ToHaveTextAsync("通过", new() { Timeout = 20_000 });

        // Filters: only the rejected units.
        await page.GetByLabel("状态").SelectOptionAsync(new SelectOptionValue { Label = "未通过" });
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await Expect(page.Locator("table.board tbody tr")).Not.ToHaveCountAsync(0);
        foreach (var status in await page.Locator("table.board tbody tr td:nth-child(3)").AllInnerTextsAsync())
        {
            Assert.Equal("未通过", status.Trim());
        }
    }

    [Fact]
    public async Task A_rejected_submission_shows_its_tables_with_the_failing_cells_marked_and_the_message_beside_them()
    {
        var page = await host.NewPageAsync();
        await PagesHost.SignInAsync(page, host.AdminKey);
        await page.GotoAsync($"/admin/periods/{host.Period.Id}?status=rejected");
        await page.GetByRole(AriaRole.Link, new() { Name = "区商务局" }).ClickAsync();

        await Expect(page.Locator("h1")).ToHaveTextAsync("区商务局 的报表");
        await Expect(page.Locator("dl.facts .tag")).ToHaveTextAsync("未通过");
        var marked = page.Locator("table.printed td.bad.error");
        Assert.True(await marked.CountAsync() > 1, "the cells of the failing total are marked");
        await Expect(page.Locator("table.printed td.bad.error[data-cell='s3.r3_7_total.natural_person']")).ToHaveCountAsync(1);
        await Expect(page.Locator(".sheet-notes")).ToContainTextAsync("“（七）总计”为 12");
        await PagesHost.ScreenshotAsync(page, "04-rejected-submission");
    }

    [Fact]
    public async Task The_office_triggers_the_rollup_watches_it_finish_and_downloads_the_report()
    {
        var page = await host.NewPageAsync();
        await PagesHost.SignInAsync(page, host.AdminKey);
        await page.GotoAsync($"/admin/periods/{host.Period.Id}/rollups");
        await page.GetByRole(AriaRole.Button, new() { Name = "发起汇总" }).ClickAsync();
        await page.WaitForURLAsync("**/admin/rollups/*");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "下载汇总报告" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.Locator("dl.facts .tag").First).ToHaveTextAsync("已完成");
        await PagesHost.ScreenshotAsync(page, "05-rollup");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Word 文档（.docx）", Exact = true }).ClickAsync());
        Assert.EndsWith(".docx", download.SuggestedFilename, StringComparison.Ordinal);
        Assert.Contains("青岚区", download.SuggestedFilename, StringComparison.Ordinal);
        var saved = Path.Combine(PagesHost.ScreenshotDirectory, "..", download.SuggestedFilename);
        await download.SaveAsAsync(saved);
        Assert.True(new FileInfo(saved).Length > 1000);

        await page.GetByRole(AriaRole.Link, new() { Name = "网页版（HTML，可打印）" }).ClickAsync();
        await Expect(page.Locator("body")).ToContainTextAsync("政府信息公开工作年度报告");
        await PagesHost.ScreenshotAsync(page, "06-report");
    }

    [Fact]
    public async Task The_session_cookie_is_http_only_same_site_strict_and_never_holds_the_key_and_sign_out_ends_it()
    {
        var page = await host.NewPageAsync();
        await PagesHost.SignInAsync(page, host.AdminKey);
        var cookies = await page.Context.CookiesAsync();
        var session = cookies.Single(c => c.Name == "aggregator_session");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        var secret = host.AdminKey[(host.AdminKey.LastIndexOf('_') + 1)..];
        Assert.All(cookies, c => Assert.DoesNotContain(secret, c.Value, StringComparison.Ordinal));
        Assert.Null(await page.EvaluateAsync<string?>("() => document.cookie.includes('aggregator_session') ? 'visible' : null"));

        // A form posted without its antiforgery token is refused, even with the session cookie.
        var forged = await page.Context.APIRequest.PostAsync($"/admin/periods?handler=Close", new() { Form = page.Context.APIRequest.CreateFormData().Set("id", host.Period.Id.ToString()) });
        Assert.Equal(400, forged.Status);

        // The forged request went through the same cookie jar: sign out from a freshly rendered form.
        await page.GotoAsync("/admin/periods");
        var signOut = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "退出" }).ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.Contains("/signout", StringComparison.OrdinalIgnoreCase));
        if (signOut.Status is not (302 or 303))
        {
            Assert.Fail($"Sign-out answered {signOut.Status}: {await signOut.TextAsync()}");
        }

        await page.WaitForURLAsync("**/signin");
        await page.GotoAsync("/admin/periods");
        Assert.Contains("/signin", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_key_is_refused_on_the_sign_in_page()
    {
        var page = await host.NewPageAsync();
        await page.GotoAsync("/signin");
        await page.GetByLabel("API 密钥").FillAsync("agk_aaaaaaaa_notarealkey");
        var response = await page.RunAndWaitForResponseAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync(), r => r.Request.Method == "POST");
        Assert.Equal(401, response.Status);
        await Expect(page.Locator(".alert.error")).ToContainTextAsync("密钥无效");
    }

    [Fact]
    public async Task A_hostile_unit_name_is_shown_as_text()
    {
        var page = await host.NewPageAsync();
        await PagesHost.SignInAsync(page, host.AdminKey);
        await page.GotoAsync($"/admin/periods/{host.Period.Id}?q=EVIL");
        var row = page.Locator("table.board tbody tr", new() { HasText = PagesHost.HostileCode });
        await Expect(row).ToContainTextAsync(PagesHost.HostileName);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__pwned === undefined"));
        Assert.Contains("&lt;script&gt;window.__pwned=1&lt;/script&gt;{{ 7*7 }}", await page.ContentAsync(), StringComparison.Ordinal);
        await PagesHost.ScreenshotAsync(page, "07-hostile-name");
    }
}

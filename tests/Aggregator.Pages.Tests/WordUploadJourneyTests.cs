using System.Text.Json.Nodes;
using Aggregator.Application.Security;
using Aggregator.Core.Forms;
using Aggregator.Core.Values;
using Aggregator.Storage;
using Aggregator.Storage.Submissions;
using Aggregator.Testing.Office;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Aggregator.Pages.Tests;

/// <summary>
/// A township uploads its Word annual report, checks what was read cell by cell beside the printed labels (an unsure
/// purchase amount marked with its reason), and confirms it; another unit cannot confirm the report it uploaded.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class WordUploadJourneyTests(PagesHost host)
{
    // 青石镇: a township no other journey submits for, so the versions counted here are this test's alone.
    private const string UnitCode = "QL-QSZ";

    [Fact]
    public async Task A_township_uploads_its_word_report_checks_the_values_read_with_an_unsure_mark_and_confirms_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var key = (await host.Get<ApiKeyRegistry>().IssueAsync(new NewApiKey(ApiKeyRole.Unit, UnitCode, "青石镇"), Actor.Cli, ct)).Key;
        var demo = host.Scenario.Submissions.Single(s => s.Unit.Code == UnitCode).Document;
        var money = FormCatalog.Default.Get(demo.FormatId).Cells.First(c => c.IsMoney);
        // The purchase amount written in 元, as some departments do: read as 万元 and marked unsure with the reason.
        var document = demo with { Values = new Dictionary<string, SubmittedValue>(demo.Values, StringComparer.Ordinal) { [money.Id] = SubmittedValue.FromText("251000元") } };
        var docx = WordDocuments.From(document);
        var repository = host.Get<SubmissionRepository>();
        var before = (await repository.FindAsync(host.Period.Id, UnitCode, ct))!.LatestVersion;

        var page = await host.NewPageAsync();
        await PagesHost.SignInAsync(page, key);
        await page.GotoAsync($"/unit/periods/{host.Period.Id}");
        await page.GetByLabel("年度报告 Word 文档").SetInputFilesAsync(new FilePayload { Name = "青石镇2019年报告.docx", MimeType = WordDocuments.MediaType, Buffer = docx });
        await page.GetByRole(AriaRole.Button, new() { Name = "读取并核对（不保存）" }).ClickAsync();

        await Expect(page.Locator("h2", new() { HasText = "读取结果" })).ToBeVisibleAsync();
        var unsure = page.Locator($"table.printed td.unsure[data-cell='{money.Id}']");
        await Expect(unsure).ToContainTextAsync("25.1");
        await Expect(unsure.Locator("sup.doubt")).ToHaveTextAsync("疑1");
        var row = page.Locator($"table.word-cells.doubts tr[data-cell='{money.Id}']");
        await Expect(row).ToHaveClassAsync("unsure");
        await Expect(row.Locator("td").Nth(0)).ToHaveTextAsync("251000元");
        await Expect(row.Locator("td.num")).ToHaveTextAsync("25.1");
        await Expect(row.Locator("td.reason")).ToContainTextAsync("按 25.1 万元计，请核对单位");
        Assert.Equal(FormCatalog.Default.Get(demo.FormatId).Cells.Count, await page.Locator("table.word-cells.all tbody tr").CountAsync());
        // A sure cell shows its value read beside the label the document prints.
        var sure = page.Locator("table.word-cells.all tbody tr:not(.unsure)").First;
        await Expect(sure.Locator("th")).ToContainTextAsync("（");
        await Expect(sure.Locator("td.reason")).ToHaveTextAsync("");
        await PagesHost.ScreenshotAsync(page, "45-unit-word-check");
        Assert.Equal(before, (await repository.FindAsync(host.Period.Id, UnitCode, ct))!.LatestVersion);

        // Another unit's session posting the same digest finds nothing of this upload: the report is kept per key.
        var digest = await page.Locator("input[name=digest]").GetAttributeAsync("value");
        var other = await host.NewPageAsync();
        await PagesHost.SignInAsync(other, host.TownshipKey);
        await other.GotoAsync($"/unit/periods/{host.Period.Id}");
        var token = await other.Locator("input[name=__csrf]").First.GetAttributeAsync("value");
        var forged = await other.Context.APIRequest.PostAsync(
            $"/unit/periods/{host.Period.Id}?handler=WordConfirm",
            new() { Form = other.Context.APIRequest.CreateFormData().Set("digest", digest!).Set("__csrf", token!) });
        Assert.Equal(409, forged.Status);
        Assert.Contains("请重新上传", await forged.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(before, (await repository.FindAsync(host.Period.Id, UnitCode, ct))!.LatestVersion);

        await page.GetByRole(AriaRole.Button, new() { Name = "确认无误，提交", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/unit/submissions/*");
        await Expect(page.Locator("dl.facts")).ToContainTextAsync($"第 {before + 1} 版");
        await Expect(page.Locator("dl.facts .tag")).Not.ToHaveTextAsync("待校验", new() { Timeout = 20_000 });
        await Expect(page.Locator("[data-finished]")).ToBeAttachedAsync(new() { Timeout = 20_000 });
        await PagesHost.ScreenshotAsync(page, "46-unit-word-confirmed");
        var stored = (await repository.FindAsync(host.Period.Id, UnitCode, ct))!;
        Assert.Equal(before + 1, stored.LatestVersion);
    }

    [Fact]
    public async Task A_confirm_without_an_upload_stores_nothing_and_asks_to_upload_again()
    {
        var page = await host.NewPageAsync();
        await PagesHost.SignInAsync(page, host.TownshipKey);
        await page.GotoAsync($"/unit/periods/{host.Period.Id}");
        var token = await page.Locator("input[name=__csrf]").First.GetAttributeAsync("value");
        var confirm = await page.Context.APIRequest.PostAsync(
            $"/unit/periods/{host.Period.Id}?handler=WordConfirm",
            new() { Form = page.Context.APIRequest.CreateFormData().Set("digest", new string('0', 64)).Set("__csrf", token!) });
        Assert.Equal(409, confirm.Status);
        await page.SetContentAsync(await confirm.TextAsync());
        await PagesHost.ScreenshotAsync(page, "47-unit-word-confirm-expired");
    }

    [Fact]
    public async Task A_narrative_contradicting_its_table_is_shown_once_with_the_verdict_on_the_word_check()
    {
        var demo = host.Scenario.Submissions.Single(s => s.Unit.Code == "QL-HXZ").Document;
        var document = JsonNode.Parse(demo.ToJson())!.AsObject();
        var inTable = document["values"]!["s3.r1_new.total"]!.GetValue<decimal>();
        var stated = inTable + 6;
        var docx = WordDocuments.From(document, demo.UnitName, [$"2019年，本镇共收到依申请公开申请{stated}件。", "全年工作平稳有序。"]);

        var page = await host.NewPageAsync();
        await PagesHost.SignInAsync(page, host.TownshipKey);
        await page.GotoAsync($"/unit/periods/{host.Period.Id}");
        await page.GetByLabel("年度报告 Word 文档").SetInputFilesAsync(new FilePayload { Name = "荷溪镇2019年报告.docx", MimeType = WordDocuments.MediaType, Buffer = docx });
        await page.GetByRole(AriaRole.Button, new() { Name = "读取并核对（不保存）" }).ClickAsync();
        await Expect(page.Locator("h2", new() { HasText = "读取结果" })).ToBeVisibleAsync();

        var shown = page.GetByText($"称收到申请 {stated} 件");
        await Expect(shown).ToHaveCountAsync(1);
        await Expect(shown).ToContainTextAsync("两者不一致");
        await PagesHost.ScreenshotAsync(page, "48-unit-word-check-narrative");
    }
}

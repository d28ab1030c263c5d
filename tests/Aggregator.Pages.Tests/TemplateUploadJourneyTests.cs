using System.Globalization;
using Aggregator.Core.Values;
using Aggregator.Reporting.Workbooks;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Aggregator.Pages.Tests;

/// <summary>A township downloads its Excel template from its upload page, fills it in and dry-runs the workbook.</summary>
[Collection(PagesCollection.Name)]
public sealed class TemplateUploadJourneyTests(PagesHost host)
{
    [Fact]
    public async Task A_township_downloads_its_template_fills_it_in_and_sees_the_dry_run_verdict_of_the_workbook()
    {
        var page = await host.NewPageAsync();
        await PagesHost.SignInAsync(page, host.TownshipKey);
        await page.GetByRole(AriaRole.Link, new() { Name = "本单位的填报期" }).ClickAsync();
        var row = page.Locator("table.grid tbody tr").Filter(new() { Has = page.GetByRole(AriaRole.Cell, new() { Name = "2019", Exact = true }) });
        await row.GetByRole(AriaRole.Link, new() { Name = "上传与提交" }).ClickAsync();

        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "下载本年度的 Excel 报表模板" }).ClickAsync());
        Assert.Equal("报表模板-fmt_2019-2019-QL-HXZ.xlsx", download.SuggestedFilename);
        var template = await File.ReadAllBytesAsync(await download.PathAsync(), TestContext.Current.CancellationToken);
        var blank = SubmissionWorkbookReader.Read(template).Document!;
        Assert.Equal(("fmt_2019", 2019, "QL-HXZ", "荷溪镇"), (blank.FormatId, blank.Year, blank.UnitCode, blank.UnitName));

        // 荷溪镇's generated table breaks 第一项＋第二项＝第三项＋第四项: the workbook of the same values is rejected too.
        var broken = host.Scenario.Submissions.Single(s => s.Unit.Code == "QL-HXZ").Document;
        await page.GetByLabel("报表文件").SetInputFilesAsync(new FilePayload
        {
            Name = "荷溪镇.xlsx",
            MimeType = TemplateLayout.ContentType,
            Buffer = Fill(template, broken.Values),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "试校验（不保存）" }).ClickAsync();

        await Expect(page.Locator("h2", new() { HasText = "试校验结果" })).ToContainTextAsync("未通过");
        Assert.True(await page.Locator("table.printed td.bad.error").CountAsync() > 0);
        await Expect(page.Locator(".sheet-notes").First).ToContainTextAsync("第一项加第二项之和");
        await PagesHost.ScreenshotAsync(page, "43-unit-dry-run-xlsx");
    }

    private static byte[] Fill(byte[] template, IReadOnlyDictionary<string, SubmittedValue> values)
    {
        using var stream = new MemoryStream();
        stream.Write(template);
        using (var document = SpreadsheetDocument.Open(stream, true))
        {
            var workbook = document.WorkbookPart!;
            var names = workbook.Workbook.DefinedNames!.Elements<DefinedName>().ToDictionary(n => n.Name!.Value!, n => n.Text, StringComparer.Ordinal);
            foreach (var (cellId, value) in values.Where(v => v.Value.Number is not null))
            {
                var target = names[TemplateLayout.CellNamePrefix + cellId];
                var bang = target.LastIndexOf('!');
                var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == target[..bang].Trim('\''));
                var reference = target[(bang + 1)..].Replace("$", "", StringComparison.Ordinal);
                var cell = ((WorksheetPart)workbook.GetPartById(sheet.Id!.Value!)).Worksheet.Descendants<Cell>().Single(c => c.CellReference == reference);
                cell.CellValue = new CellValue(value.Number!.Value.ToString(CultureInfo.InvariantCulture));
            }
        }

        return stream.ToArray();
    }
}

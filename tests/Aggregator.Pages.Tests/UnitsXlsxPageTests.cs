using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Aggregator.Storage.Units;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Aggregator.Pages.Tests;

/// <summary>The office downloads the unit list template, fills it in as Excel would and imports it after a dry run.</summary>
[Collection(PagesCollection.Name)]
public sealed class UnitsXlsxPageTests(PagesHost host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_office_imports_a_filled_in_template_after_the_dry_run_names_a_wrong_sheet_row()
    {
        var tag = Guid.NewGuid().ToString("N")[..4].ToUpperInvariant();
        var (bureau, office) = ($"QL-X{tag}A", $"QL-X{tag}B");
        var root = host.Scenario.Root.Code;
        var units = host.Get<UnitRepository>();
        var page = await host.NewPageAsync();
        await PagesHost.SignInAsync(page, host.AdminKey);
        await page.GotoAsync("/admin/units");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "下载单位清单模板（.xlsx）" }).ClickAsync());
        Assert.EndsWith(".xlsx", download.SuggestedFilename, StringComparison.Ordinal);
        var template = Path.Combine(Path.GetTempPath(), $"units-template-{tag}.xlsx");
        await download.SaveAsAsync(template);
        var blank = await File.ReadAllBytesAsync(template, Ct);
        File.Delete(template);

        // Row 3 has a kind that does not exist; the dry run names that sheet row and offers no confirmation.
        await UploadAsync(page, Fill(blank, [[bureau, "试点表格局", "department", root], [office, "试点表格局办公室", "planet", bureau]]));
        await Expect(page.Locator("#preview .alert.error")).ToContainTextAsync("第 3 行：单位类型“planet”不正确");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "确认导入" })).ToHaveCountAsync(0);
        await PagesHost.ScreenshotAsync(page, "25-units-xlsx-wrong-row");
        Assert.Null(await units.GetAsync(bureau, Ct));

        await UploadAsync(page, Fill(blank, [[bureau, "试点表格局", "department", root], [office, "试点表格局办公室", "other", bureau]]));
        await Expect(page.Locator("#preview")).ToContainTextAsync("新增 2 个");
        await Expect(page.Locator("#preview .alert.error")).ToHaveCountAsync(0);
        await PagesHost.ScreenshotAsync(page, "28-units-xlsx-preview");
        Assert.Null(await units.GetAsync(bureau, Ct));

        await page.GetByRole(AriaRole.Button, new() { Name = "确认导入" }).ClickAsync();
        await Expect(page.Locator(".alert.ok")).ToContainTextAsync("已导入：新增 2 个单位");
        Assert.Equal(("试点表格局办公室", bureau), ((await units.GetAsync(office, Ct))!.Name, (await units.GetAsync(office, Ct))!.ParentCode));
        await PagesHost.ScreenshotAsync(page, "29-units-xlsx-imported");
    }

    private static async Task UploadAsync(IPage page, byte[] workbook)
    {
        await page.GetByLabel("或选择 Excel（.xlsx）或 CSV 文件").SetInputFilesAsync(new FilePayload
        {
            Name = "单位清单.xlsx", MimeType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Buffer = workbook,
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "预览（不保存）" }).ClickAsync();
    }

    /// <summary>The template with rows typed under its header, from row 2.</summary>
    private static byte[] Fill(byte[] template, string[][] rows)
    {
        using var stream = new MemoryStream();
        stream.Write(template);
        using (var document = SpreadsheetDocument.Open(stream, true))
        {
            var workbook = document.WorkbookPart!;
            var first = workbook.Workbook.Sheets!.Elements<Sheet>().First();
            var data = ((WorksheetPart)workbook.GetPartById(first.Id!)).Worksheet.GetFirstChild<SheetData>()!;
            for (var r = 0; r < rows.Length; r++)
            {
                var row = new Row { RowIndex = (uint)(r + 2) };
                for (var c = 0; c < rows[r].Length; c++)
                {
                    row.Append(new Cell { CellReference = $"{(char)('A' + c)}{r + 2}", DataType = CellValues.InlineString, InlineString = new InlineString(new Text(rows[r][c])) });
                }

                data.Append(row);
            }
        }

        return stream.ToArray();
    }
}

using System.Net;
using System.Text.RegularExpressions;
using Aggregator.Cli.Demo;
using Aggregator.Storage.Periods;
using Xunit;

namespace Aggregator.Pages.Tests;

/// <summary>The completeness board of a city's period: its districts with their counts, each a link to its own board.</summary>
[Collection(PagesCollection.Name)]
public sealed partial class TreeBoardTests(PagesHost host)
{
    private static readonly SemaphoreSlim Loading = new(1, 1);
    private static Guid? _cityPeriod;

    [Fact]
    public async Task A_citys_board_lists_its_districts_with_their_counts_not_as_missing_and_drills_into_each()
    {
        var period = await CityPeriodAsync();
        using var client = host.BearerClient(host.AdminKey);

        var city = await HtmlAsync(client, $"/admin/periods/{period}");
        // Two districts of 30 departments: each has two broken units (商务局, 统计局) and one silent one.
        Assert.Matches(Row("CJ-D001", 30, 29, 27, 2, 1), city);
        Assert.Matches(Row("CJ-D002", 30, 29, 27, 2, 1), city);
        Assert.Contains($"href=\"/admin/periods/{period}?node=CJ-D001\"", city, StringComparison.Ordinal);
        Assert.Matches(Count(60, "应报"), city);
        Assert.Matches(Count(2, "未报送"), city);
        Assert.Contains("各填报单位（60 个）", city, StringComparison.Ordinal);

        var district = await HtmlAsync(client, $"/admin/periods/{period}?node=CJ-D001");
        Assert.Matches(Count(30, "应报"), district);
        Assert.Matches(Count(1, "未报送"), district);
        Assert.Contains("各填报单位（30 个）", district, StringComparison.Ordinal);
        Assert.DoesNotContain("CJ-D002-", district, StringComparison.Ordinal);
        Assert.DoesNotContain("直属下级", district, StringComparison.Ordinal);
        Assert.Contains("单位层级", district, StringComparison.Ordinal);

        using var unknown = await client.GetAsync($"/admin/periods/{period}?node=QL-SWJ", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        // The flat district's board is unchanged: no children table.
        Assert.DoesNotContain("直属下级", await HtmlAsync(client, $"/admin/periods/{host.Period.Id}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_city_board_in_the_browser_shows_the_districts_and_a_click_opens_one()
    {
        var period = await CityPeriodAsync();
        var page = await host.NewPageAsync();
        await PagesHost.SignInAsync(page, host.AdminKey);
        await page.GotoAsync($"/admin/periods/{period}");
        await PagesHost.ScreenshotAsync(page, "33-tree-board-city");
        await page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = TreeScenario.Create(60).InnerUnits[0].Name, Exact = true }).First.ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("node=CJ-D001", StringComparison.Ordinal));
        await PagesHost.ScreenshotAsync(page, "34-tree-board-district");
        Assert.Contains("各填报单位（30 个）", await page.ContentAsync(), StringComparison.Ordinal);
    }

    private async Task<Guid> CityPeriodAsync()
    {
        await Loading.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (_cityPeriod is null)
            {
                var scenario = await DemoTree.LoadAsync(host.Services, 60, TestContext.Current.CancellationToken);
                _cityPeriod = (await host.Get<PeriodRepository>().ListAsync(TestContext.Current.CancellationToken)).Single(p => p.RootUnitCode == scenario.Root.Code).Id;
            }

            return _cityPeriod.Value;
        }
        finally
        {
            Loading.Release();
        }
    }

    private static Regex Row(string code, int expected, int submitted, int accepted, int rejected, int missing) => new(
        $"<td>{code}</td>.*?<td class=\"num\">{expected}</td>\\s*<td class=\"num\">{submitted}</td>\\s*<td class=\"num\">{accepted}</td>\\s*<td class=\"num\">{rejected}</td>\\s*<td class=\"num[^\"]*\">{missing}</td>",
        RegexOptions.Singleline);

    private static Regex Count(int n, string label) => new($"<span class=\"n\">{n}</span>{label}</li>");

    private static async Task<string> HtmlAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        return body;
    }
}

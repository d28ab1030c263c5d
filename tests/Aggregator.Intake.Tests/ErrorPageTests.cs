using System.Net;
using Aggregator.Intake.Tests.Support;

namespace Aggregator.Intake.Tests;

/// <summary>Page routes answer errors with the site's HTML page in Chinese and the status; the API keeps its problem documents.</summary>
public sealed class ErrorPageTests(World world) : IClassFixture<World>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> HtmlErrorAsync(string path, string? key, HttpStatusCode expected)
    {
        using var response = await world.Host.GetAsync(path, key);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"GET {path}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html lang=\"zh-CN\">", body, StringComparison.Ordinal);
        Assert.Contains("class=\"masthead\"", body, StringComparison.Ordinal);
        return body;
    }

    [Fact]
    public async Task An_unknown_period_on_an_office_page_answers_the_html_page_with_404_and_the_chinese_message()
    {
        var path = $"/admin/periods/{Guid.NewGuid()}";

        var body = await HtmlErrorAsync(path, world.AdminKey, HttpStatusCode.NotFound);

        Assert.Contains("找不到这个页面或记录", body, StringComparison.Ordinal);
        Assert.Contains(path, body, StringComparison.Ordinal);
        // The signed-in office keeps its navigation on the error page.
        Assert.Contains("href=\"/admin/units\"", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/no-such-page")]
    [InlineData("/admin/no-such-page")]
    [InlineData("/unit/submissions/not-a-guid")]
    public async Task An_address_no_page_answers_is_the_html_404_page(string path)
    {
        var body = await HtmlErrorAsync(path, null, HttpStatusCode.NotFound);

        Assert.Contains("页面不存在", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_posted_without_its_antiforgery_token_answers_the_html_400_page()
    {
        using var response = await world.Host.SendAsync(Request.Post("/signin").WithBytes("key=agk_x"u8.ToArray(), "application/x-www-form-urlencoded"));
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("请求无法处理", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/periods/0190c8e5-0000-7000-8000-000000000000", "period_not_found")]
    [InlineData("/api/v1/no-such-endpoint", "not_found")]
    public async Task The_api_keeps_answering_problem_documents(string path, string code)
    {
        using var response = await world.Host.GetAsync(path, world.AdminKey);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(code, (await response.ProblemAsync())["code"]!.GetValue<string>());
    }
}

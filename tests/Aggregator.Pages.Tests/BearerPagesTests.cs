using System.Net;
using Xunit;

namespace Aggregator.Pages.Tests;

/// <summary>Scripted checks: the pages answer an <c>Authorization: Bearer</c> key with HTML, under the same roles.</summary>
[Collection(PagesCollection.Name)]
public sealed class BearerPagesTests(PagesHost host)
{
    [Fact]
    public async Task The_admin_key_as_a_bearer_header_gets_the_home_page_the_board_a_marked_submission_the_rollup_and_ops()
    {
        using var client = host.BearerClient(host.AdminKey);
        var ct = TestContext.Current.CancellationToken;
        Assert.Contains("<html lang=\"zh-CN\">", await HtmlAsync(client, "/"), StringComparison.Ordinal);
        Assert.Contains("区商务局", await HtmlAsync(client, $"/admin/periods/{host.Period.Id}"), StringComparison.Ordinal);
        Assert.Contains("class=\"num bad error\"", await HtmlAsync(client, $"/admin/submissions/{await host.SubmissionOfAsync("QL-SWJ")}"), StringComparison.Ordinal);

        var rollups = await HtmlAsync(client, $"/admin/periods/{host.Period.Id}/rollups");
        var rollup = System.Text.RegularExpressions.Regex.Match(rollups, "/admin/rollups/([0-9a-f-]{36})").Groups[1].Value;
        var detail = await HtmlAsync(client, $"/admin/rollups/{rollup}");
        foreach (var format in new[] { "html", "docx", "xlsx", "md" })
        {
            Assert.Contains($"/admin/rollups/{rollup}/report/{format}", detail, StringComparison.Ordinal);
        }

        using var docx = await client.GetAsync($"/admin/rollups/{rollup}/report/docx", ct);
        Assert.Equal(HttpStatusCode.OK, docx.StatusCode);
        Assert.Contains("青岚区", docx.Content.Headers.ContentDisposition!.FileNameStar, StringComparison.Ordinal);
        Assert.Contains("健康状况", await HtmlAsync(client, "/ops"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completeness_in_the_api_gives_each_rejected_units_submission_id_and_failing_rules_in_words()
    {
        using var client = host.BearerClient(host.AdminKey);
        var body = System.Text.Json.Nodes.JsonNode.Parse(await client.GetStringAsync($"/api/v1/periods/{host.Period.Id}/completeness", TestContext.Current.CancellationToken))!;
        var commerce = body["units"]!.AsArray().Single(u => u!["unit_code"]!.GetValue<string>() == "QL-SWJ")!;
        Assert.Equal("rejected", commerce["status"]!.GetValue<string>());
        Assert.Equal(await host.SubmissionOfAsync("QL-SWJ"), commerce["submission_id"]!.GetValue<Guid>());
        var rule = commerce["failing_rules"]!.AsArray().First()!;
        Assert.Equal("S3-RESULT-TOTAL", rule["rule"]!.GetValue<string>());
        Assert.Contains("（七）总计", rule["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(3, commerce["days_late"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_unit_key_as_a_bearer_header_is_refused_the_office_pages_and_another_units_submission()
    {
        using var client = host.BearerClient(host.TownshipKey);
        var ct = TestContext.Current.CancellationToken;
        using var board = await client.GetAsync($"/admin/periods/{host.Period.Id}", ct);
        Assert.Equal(HttpStatusCode.Forbidden, board.StatusCode);
        using var other = await client.GetAsync($"/unit/submissions/{await host.SubmissionOfAsync("QL-SWJ")}", ct);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.DoesNotContain("table class=\"printed\"", await other.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        using var download = await client.GetAsync($"/admin/rollups/{Guid.NewGuid()}/report/html", ct);
        Assert.Equal(HttpStatusCode.Forbidden, download.StatusCode);
    }

    [Fact]
    public async Task A_bad_bearer_key_gets_401_not_the_sign_in_page()
    {
        using var client = host.BearerClient("agk_aaaaaaaa_notarealkey");
        using var response = await client.GetAsync("/admin/periods", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static async Task<string> HtmlAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        Assert.StartsWith("text/html", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        return body;
    }
}

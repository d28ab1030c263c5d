using System.Globalization;
using System.Net;
using Aggregator.Application.Validation;
using Aggregator.Intake.Tests.Support;
using Aggregator.Testing.Office;

namespace Aggregator.Intake.Tests;

/// <summary>
/// A Word report's narrative once confirmed (<c>POST /periods/{id}/submissions/word?confirm=true</c>) and validated:
/// the figures it states against its own tables (正文与表格不符). A world of its own, so no other unit's text is compared.
/// </summary>
public sealed class WordVerdictTests(World world) : IClassFixture<World>
{
    private readonly WordConfirm _word = new(world);

    [Fact]
    public async Task A_confirmed_report_stating_more_applications_than_its_table_gets_the_warning_in_its_words_on_the_board_and_the_submission()
    {
        // As seed 002: the text says 22 applications, 表三 counts 16.
        var document = Documents.Valid("U1", seed: 51);
        var inTable = document["values"]!["s3.r1_new.total"]!.GetValue<decimal>();
        var stated = inTable + 6;
        string[] narrative =
        [
            $"2019年，我局共收到依申请公开申请{stated}件，其中，当面申请6件。",
            "全年工作平稳有序。",
        ];
        var docx = WordDocuments.From(document, "测试区甲局", narrative);
        var expected = $"正文“2019年，我局共收到依申请公开申请{stated}件，其中，当面申请6件”称收到申请 {stated} 件，"
            + $"表三“一、本年新收政府信息公开申请数量”为 {inTable.ToString(CultureInfo.InvariantCulture)} 件，两者不一致";

        var preview = await (await world.Host.SendAsync(_word.Word(docx, world.U1Key))).ExpectAsync(HttpStatusCode.OK);
        var id = await _word.ConfirmAndValidateAsync(docx, world.U1Key);

        var shown = Assert.Single(preview["narrative_warnings"]!.AsArray())!;
        Assert.Equal(("TEXT-FIGURE-MISMATCH", expected), (shown["rule"]!.GetValue<string>(), shown["message"]!.GetValue<string>()));
        var stored = await (await world.Host.GetAsync($"/api/v1/submissions/{id}", world.U1Key)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("accepted_with_warnings", stored["status"]!.GetValue<string>());
        var warning = Assert.Single(stored["violations"]!.AsArray())!;
        Assert.Equal(("TEXT-FIGURE-MISMATCH", "warning", expected), (warning["rule"]!.GetValue<string>(), warning["severity"]!.GetValue<string>(), warning["message"]!.GetValue<string>()));
        Assert.Equal(inTable, warning["cells"]!["s3.r1_new.total"]!.GetValue<decimal>());

        var board = await _word.HtmlAsync($"/admin/periods/{world.OpenPeriod}");
        Assert.Matches("<span class=\"tag figures\"[^>]*>正文与表格不符</span>", board);
        Assert.Contains(expected, await _word.HtmlAsync($"/admin/submissions/{id}"), StringComparison.Ordinal);
    }
}

/// <summary>内容雷同 between two units whose confirmed Word reports have nearly the same text; a world of its own.</summary>
public sealed class WordSimilarityVerdictTests(World world) : IClassFixture<World>
{
    private readonly WordConfirm _word = new(world);

    [Fact]
    public async Task Two_units_confirming_nearly_the_same_text_get_内容雷同_naming_the_other()
    {
        string[] narrative =
        [
            "2019年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政府信息公开工作。",
            "依申请公开工作依法有序开展，均在法定期限内答复。",
            "政府信息管理进一步规范，及时清理过时文件。",
            "信息公开的及时性和规范性仍有待进一步提高，下一步将加强培训。",
        ];
        string[] nearly = [.. narrative[..3], "信息公开的及时性和规范性仍有待进一步提高，下一步将完善制度。"];

        var first = await _word.ConfirmAndValidateAsync(WordDocuments.From(Documents.Valid("U2", seed: 52), "测试区乙局", narrative), world.AdminKey, "U2");
        var second = await _word.ConfirmAndValidateAsync(WordDocuments.From(Documents.Valid("U3", seed: 53), "测试区丙镇", nearly), world.AdminKey, "U3");

        var firstVerdict = await (await world.Host.GetAsync($"/api/v1/submissions/{first}", world.AdminKey)).ExpectAsync(HttpStatusCode.OK);
        var secondVerdict = await (await world.Host.GetAsync($"/api/v1/submissions/{second}", world.AdminKey)).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(firstVerdict["violations"]!.AsArray(), v => v!["rule"]!.GetValue<string>() == "TEXT-SAME-AS-UNIT");
        var warning = Assert.Single(secondVerdict["violations"]!.AsArray(), v => v!["rule"]!.GetValue<string>() == "TEXT-SAME-AS-UNIT")!;
        // The share counts the tables' printed titles too, which the reader keeps with the text: it is not fixed here.
        Assert.Matches("^报告正文与测试区乙局的报告有 \\d+% 的句子相同（内容雷同）$", warning["message"]!.GetValue<string>());
        Assert.Equal("accepted_with_warnings", secondVerdict["status"]!.GetValue<string>());
        Assert.Matches("<span class=\"tag similar\"[^>]*>内容雷同</span>", await _word.HtmlAsync($"/admin/periods/{world.OpenPeriod}"));
    }
}

/// <summary>Confirms a Word report and validates the version as the validation worker would (the intake host runs none).</summary>
internal sealed class WordConfirm(World world)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async Task<Guid> ConfirmAndValidateAsync(byte[] docx, string key, string? unitCode = null)
    {
        var query = unitCode is null ? "confirm=true" : $"confirm=true&unit_code={unitCode}";
        var receipt = await (await world.Host.SendAsync(Word(docx, key, query))).ExpectAsync(HttpStatusCode.Accepted);
        var id = receipt["submission_id"]!.GetValue<Guid>();
        await world.Host.Services.Get<SubmissionValidation>().ValidateAsync(id, receipt["version"]!.GetValue<int>(), Ct);
        return id;
    }

    public HttpRequestMessage Word(byte[] docx, string key, string query = "") =>
        Request.Post($"/api/v1/periods/{world.OpenPeriod}/submissions/word{(query.Length > 0 ? "?" + query : "")}")
            .WithBytes(docx, WordDocuments.MediaType)
            .WithKey(key);

    public async Task<string> HtmlAsync(string path)
    {
        using var response = await world.Host.SendAsync(Request.Get(path).WithKey(world.AdminKey));
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        return body;
    }
}

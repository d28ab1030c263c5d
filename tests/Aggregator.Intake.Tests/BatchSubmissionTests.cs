using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Aggregator.Core.Values;
using Aggregator.Intake.Tests.Support;
using Aggregator.Testing.Office;

namespace Aggregator.Intake.Tests;

/// <summary>
/// <c>POST /periods/{id}/submissions/batch</c>: the office's zip of departments' files, each file through the intake
/// of its single upload, each outcome listed, a refused file storing nothing and stopping nothing.
/// </summary>
public sealed class BatchSubmissionTests(World world) : IClassFixture<World>
{
    private const string ZipType = "application/zip";

    [Fact]
    public async Task Stores_each_readable_file_of_a_mixed_zip_and_lists_the_refused_ones_with_their_codes()
    {
        var zip = Zip(
            ("甲局/U1.json", Json(Documents.Valid("U1", seed: 21))),
            ("乙局/报告/U2.docx", WordDocuments.From(Documents.Valid("U2", seed: 22).Without("unit_code"), "测试区乙局")),
            ("U3.xlsx", await WorkbookAsync(Documents.Valid("U3", seed: 23))),
            ("其他区/X1.json", Json(Documents.Valid("X1", seed: 24))),
            ("坏文件/U2.docx", "不是 Word 文件"u8.ToArray()),
            ("../U3.json", Json(Documents.Valid("U3", seed: 25))),
            ("说明.txt", "不是报表"u8.ToArray()));
        var before = await world.Host.SnapshotAsync();

        using var response = await world.Host.SendAsync(Batch(zip));
        var body = await response.ExpectAsync(HttpStatusCode.OK);

        var entries = Entries(body);
        Assert.Equal(["甲局/U1.json", "乙局/报告/U2.docx", "U3.xlsx", "其他区/X1.json", "坏文件/U2.docx", "../U3.json"], entries.Keys);
        Assert.Equal((false, 6, 3, 3), (body["dry_run"]!.GetValue<bool>(), body["entry_count"]!.GetValue<int>(), body["accepted_count"]!.GetValue<int>(), body["refused_count"]!.GetValue<int>()));
        foreach (var (path, unit) in new[] { ("甲局/U1.json", "U1"), ("乙局/报告/U2.docx", "U2"), ("U3.xlsx", "U3") })
        {
            var entry = entries[path];
            Assert.Equal(("accepted", unit, "received"), (entry["result"]!.GetValue<string>(), entry["unit_code"]!.GetValue<string>(), entry["status"]!.GetValue<string>()));
            var stored = await (await world.Host.GetAsync($"/api/v1/submissions/{entry["submission_id"]}", world.AdminKey)).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(unit, stored["unit_code"]!.GetValue<string>());
        }

        Assert.Equal(("refused", "X1", "unit_not_expected"), Refusal(entries["其他区/X1.json"]));
        Assert.Equal(("refused", "U2", "word_unreadable"), Refusal(entries["坏文件/U2.docx"]));
        Assert.Equal(("refused", "U3", "zip_entry_unsafe_name"), Refusal(entries["../U3.json"]));
        foreach (var refused in new[] { "其他区/X1.json", "坏文件/U2.docx", "../U3.json" })
        {
            ResponseExtensions.AssertChineseText(entries[refused]["message"]!.GetValue<string>());
            Assert.Null(entries[refused]["submission_id"]);
        }

        // Three versions stored; nothing for the refused files.
        var after = await world.Host.SnapshotAsync();
        Assert.Equal(3, after["submission_versions"] - before["submission_versions"]);
    }

    [Fact]
    public async Task A_dry_run_answers_each_files_verdict_as_its_single_dry_run_and_stores_nothing()
    {
        var u1 = Documents.Valid("U1", seed: 31).WithCell(Documents.CountCell, 999_999);
        var u2 = Documents.Valid("U2", seed: 32);
        var stated = ApplicationsInTable(u2) + 6;
        var zip = Zip(("U1.json", Json(u1)), ("U2.docx", WordDocuments.From(u2.Without("unit_code"), "测试区乙局", [$"本年度共收到政府信息公开申请{stated}件。"])), ("U3.json", Json(Documents.Valid("U3").WithCell(Documents.CountCell, -1))));
        var before = await world.Host.SnapshotAsync();

        using var response = await world.Host.SendAsync(Batch(zip, "dryRun=true"));
        var body = await response.ExpectAsync(HttpStatusCode.OK);

        Assert.Empty((await world.Host.SnapshotAsync()).DifferencesFrom(before));
        var entries = Entries(body);
        Assert.True(body["dry_run"]!.GetValue<bool>());
        var single = await world.Host.PostOkAsync($"/api/v1/periods/{world.OpenPeriod}/submissions?dryRun=true", world.AdminKey, u1, HttpStatusCode.OK);
        Assert.Equal(single["outcome"]!.GetValue<string>(), entries["U1.json"]["outcome"]!.GetValue<string>());
        Assert.Equal(single["violations"]!.ToJsonString(), entries["U1.json"]["violations"]!.ToJsonString());
        Assert.Equal("rejected", entries["U1.json"]["outcome"]!.GetValue<string>());
        Assert.Null(entries["U1.json"]["submission_id"]);
        Assert.Equal(("accepted", "U2"), (entries["U2.docx"]["result"]!.GetValue<string>(), entries["U2.docx"]["unit_code"]!.GetValue<string>()));
        Assert.Equal(("TEXT-FIGURE-MISMATCH", stated), (entries["U2.docx"]["narrative_warnings"]![0]!["rule"]!.GetValue<string>(), entries["U2.docx"]["narrative_warnings"]![0]!["stated"]!.GetValue<decimal>()));
        Assert.Equal(("refused", "U3", "negative_count"), Refusal(entries["U3.json"]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Refuses_every_file_of_a_unit_sent_twice_and_stores_the_others(bool dryRun)
    {
        var zip = Zip(
            ("U1.json", Json(Documents.Valid("U1", seed: 41))),
            ("修改后/U1.docx", WordDocuments.From(Documents.Valid("U1", seed: 42).Without("unit_code"), "测试区甲局")),
            ("甲局最终版.json", Json(Documents.Valid("U1", seed: 43))),
            ("U2.json", Json(Documents.Valid("U2", seed: 44))),
            ("U3.json", Json(Documents.Valid("U3", seed: 45))),
            ("坏文件/U3.docx", "不是 Word 文件"u8.ToArray()));
        var before = await world.Host.SnapshotAsync();

        using var response = await world.Host.SendAsync(Batch(zip, dryRun ? "dryRun=true" : ""));
        var body = await response.ExpectAsync(HttpStatusCode.OK);

        var entries = Entries(body);
        Assert.Equal((6, 2, 4), (body["entry_count"]!.GetValue<int>(), body["accepted_count"]!.GetValue<int>(), body["refused_count"]!.GetValue<int>()));
        foreach (var path in new[] { "U1.json", "修改后/U1.docx", "甲局最终版.json" })
        {
            Assert.Equal(("refused", "U1", "zip_duplicate_unit"), Refusal(entries[path]));
            var message = entries[path]["message"]!.GetValue<string>();
            ResponseExtensions.AssertChineseText(message);
            Assert.Contains("U1.json、修改后/U1.docx、甲局最终版.json", message, StringComparison.Ordinal);
        }

        // A file refused on its own does not clash: U3's readable file is the only one that could be stored.
        Assert.Equal(("refused", "U3", "word_unreadable"), Refusal(entries["坏文件/U3.docx"]));
        foreach (var (path, unit) in new[] { ("U2.json", "U2"), ("U3.json", "U3") })
        {
            Assert.Equal(("accepted", unit), (entries[path]["result"]!.GetValue<string>(), entries[path]["unit_code"]!.GetValue<string>()));
            Assert.Equal(dryRun, entries[path]["submission_id"] is null);
        }

        var after = await world.Host.SnapshotAsync();
        Assert.Equal(dryRun ? 0 : 2, after["submission_versions"] - before["submission_versions"]);
    }

    [Fact]
    public async Task Takes_the_zip_as_a_file_of_a_multipart_form()
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Zip(("U2.json", Json(Documents.Valid("U2", seed: 41)))));
        file.Headers.ContentType = new MediaTypeHeaderValue(ZipType);
        form.Add(file, "file", "各单位报表.zip");
        using var request = Request.Post($"/api/v1/periods/{world.OpenPeriod}/submissions/batch?dryRun=true").WithKey(world.AdminKey);
        request.Content = form;

        using var response = await world.Host.SendAsync(request);
        var body = await response.ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(("accepted", "U2"), (Entries(body)["U2.json"]["result"]!.GetValue<string>(), Entries(body)["U2.json"]["unit_code"]!.GetValue<string>()));
    }

    public static TheoryData<string, int, string> WholeZipRefusals => new()
    {
        { "not-a-zip", 400, "zip_unreadable" },
        { "no-submission-files", 422, "zip_empty" },
        { "too-many-files", 413, "zip_too_many_entries" },
        { "bomb", 413, "zip_too_large" },
    };

    [Theory]
    [MemberData(nameof(WholeZipRefusals))]
    public async Task Refuses_a_zip_it_cannot_take_as_a_whole_with_its_code_and_stores_nothing(string kind, int status, string code)
    {
        var zip = kind switch
        {
            "not-a-zip" => "PK 不是 zip 文件"u8.ToArray(),
            "no-submission-files" => Zip(("说明.txt", "无"u8.ToArray()), ("__MACOSX/._U1.json", [1])),
            "too-many-files" => Zip([.. Enumerable.Range(0, 501).Select(i => ($"U{i}.json", "{}"u8.ToArray()))]),
            _ => Zip(("U1.json", Json(Documents.Valid("U1"))), ("U2.json", new byte[21 * 1024 * 1024])),
        };
        var before = await world.Host.SnapshotAsync();

        using var response = await world.Host.SendAsync(Batch(zip));

        var problem = await response.ProblemAsync();
        Assert.Equal((status, code), ((int)response.StatusCode, problem["code"]!.GetValue<string>()));
        ResponseExtensions.AssertChineseText(problem["detail"]!.GetValue<string>());
        Assert.Empty((await world.Host.SnapshotAsync()).DifferencesFrom(before));
    }

    [Fact]
    public async Task Takes_a_zip_larger_than_a_single_upload_may_be_through_the_idempotency_check_too()
    {
        // Scanned attachments do not compress: the zip stays above the 1 MiB a single submission may have.
        var scan = new byte[3 * 1024 * 1024];
        new Random(7).NextBytes(scan);
        var zip = Zip(("U1.json", Json(Documents.Valid("U1", seed: 31))), ("附件/扫描件.pdf", scan));
        Assert.True(zip.Length > 1024 * 1024 * 2);

        using var response = await world.Host.SendAsync(Batch(zip).WithHeader("Idempotency-Key", Guid.NewGuid().ToString()));

        var body = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("accepted", Entries(body)["U1.json"]["result"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_single_submission_keeps_its_own_smaller_body_limit()
    {
        var padded = Documents.Valid("U1", seed: 32);
        padded["padding"] = new string('x', 2 * 1024 * 1024);

        using var response = await world.Host.SendAsync(Request.Post($"/api/v1/periods/{world.OpenPeriod}/submissions").WithJson(padded).WithKey(world.U1Key));

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "payload_too_large"), (response.StatusCode, (await response.ProblemAsync())["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Refuses_a_body_that_is_not_a_zip_or_a_form_with_415()
    {
        using var response = await world.Host.SendAsync(Request.Post($"/api/v1/periods/{world.OpenPeriod}/submissions/batch").WithJson(Documents.Valid("U1")).WithKey(world.AdminKey));

        Assert.Equal((HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"), (response.StatusCode, (await response.ProblemAsync())["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Answers_404_for_an_unknown_period()
    {
        using var response = await world.Host.SendAsync(Request.Post($"/api/v1/periods/{Guid.NewGuid()}/submissions/batch")
            .WithBytes(Zip(("U1.json", Json(Documents.Valid("U1")))), ZipType).WithKey(world.AdminKey));

        var problem = await response.ProblemAsync();
        Assert.Equal((HttpStatusCode.NotFound, "period_not_found"), (response.StatusCode, problem["code"]!.GetValue<string>()));
    }

    private HttpRequestMessage Batch(byte[] zip, string query = "") =>
        Request.Post($"/api/v1/periods/{world.OpenPeriod}/submissions/batch{(query.Length > 0 ? "?" + query : "")}").WithBytes(zip, ZipType).WithKey(world.AdminKey);

    private async Task<byte[]> WorkbookAsync(JsonObject document)
    {
        // The office's blank template names no unit: the file name does.
        using var template = await world.Host.GetAsync($"/api/v1/periods/{world.OpenPeriod}/template.xlsx", world.AdminKey);
        Assert.Equal(HttpStatusCode.OK, template.StatusCode);
        var values = SubmissionReader.Read(Encoding.UTF8.GetBytes(document.ToJsonString())).Document!.Values;
        return WorkbookFiller.Fill(await template.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken), values);
    }

    // The generator writes some counts as text (full-width digits): the figure is the one the core reads.
    private static decimal ApplicationsInTable(JsonObject document)
    {
        var read = SubmissionReader.Read(Encoding.UTF8.GetBytes(document.ToJsonString())).Document!;
        return TableNormalizer.Normalize(Core.Forms.FormCatalog.Default.Get(read.FormatId), read).Table.GetValue("s3.r1_new.total")!.Value;
    }

    private static (string, string?, string) Refusal(JsonNode entry) =>
        (entry["result"]!.GetValue<string>(), entry["unit_code"]?.GetValue<string>(), entry["code"]!.GetValue<string>());

    private static Dictionary<string, JsonNode> Entries(JsonNode body) =>
        body["entries"]!.AsArray().ToDictionary(e => e!["path"]!.GetValue<string>(), e => e!);

    private static byte[] Json(JsonObject document) => Encoding.UTF8.GetBytes(document.ToJsonString());

    internal static byte[] Zip(params (string Name, byte[] Bytes)[] files)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in files)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                entry.Write(bytes);
            }
        }

        return stream.ToArray();
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Aggregator.Core.Forms;
using Aggregator.Core.Values;
using Aggregator.Intake.Tests.Support;
using Aggregator.Reporting.Workbooks;
using Aggregator.Testing.Office;

namespace Aggregator.Intake.Tests;

/// <summary>
/// The Excel template through the API: downloaded for a period (and a unit), filled in, uploaded to the submission
/// endpoint, where it gets the verdict the JSON of the same values gets, or a refusal with its code.
/// </summary>
public sealed class WorkbookSubmissionTests(ParityWorld world) : IClassFixture<ParityWorld>
{
    public static TheoryData<string> Files => new(ParityMaterial.Files.Value
        .Where(f => Fillable(f.Value) is not null)
        .Select(f => f.Key)
        .Order(StringComparer.Ordinal));

    [Fact]
    public void The_material_has_tables_of_every_format_to_fill_in()
    {
        var formats = ParityMaterial.Files.Value.Values.Select(Fillable).OfType<SubmissionDocument>().Select(d => d.FormatId).ToHashSet();

        Assert.Equal(["fmt_2019", "fmt_2021", "stat_pre2019"], formats.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task An_uploaded_workbook_gets_the_dry_run_verdict_of_its_json(string name)
    {
        var bytes = await File.ReadAllBytesAsync(ParityMaterial.Files.Value[name], TestContext.Current.CancellationToken);
        var document = Fillable(ParityMaterial.Files.Value[name])!;
        var period = world.PeriodFor(bytes);
        var template = await TemplateAsync(period, world.UnitKey);

        var json = await DryRunAsync(period, bytes, "application/json");
        var workbook = await DryRunAsync(period, WorkbookFiller.Fill(template, document.Values), TemplateLayout.ContentType);

        Assert.Equal(json, workbook);
    }

    [Fact]
    public async Task A_unit_key_downloads_the_template_of_the_period_with_its_unit_filled_in()
    {
        var period = world.PeriodFor("""{"format_id":"fmt_2021","year":2021}"""u8.ToArray());
        using var response = await world.Host.GetAsync($"/api/v1/periods/{period}/template.xlsx", world.UnitKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TemplateLayout.ContentType, response.ContentType()?.MediaType);
        Assert.Equal("报表模板-fmt_2021-2021-U1.xlsx", response.Content.Headers.ContentDisposition?.FileNameStar);
        var read = SubmissionWorkbookReader.Read(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Document!;
        Assert.Equal(("fmt_2021", 2021, "U1", "测试区甲局"), (read.FormatId, read.Year, read.UnitCode, read.UnitName));
    }

    [Fact]
    public async Task The_office_downloads_a_blank_template_or_one_for_a_unit_of_the_period()
    {
        var period = world.PeriodFor("""{"format_id":"stat_pre2019","year":2018}"""u8.ToArray());

        var blank = SubmissionWorkbookReader.Read(await TemplateAsync(period, world.Host.AdminKey)).Document!;
        var forUnit = SubmissionWorkbookReader.Read(await TemplateAsync(period, world.Host.AdminKey, "?unit=U1")).Document!;
        using var notExpected = await world.Host.GetAsync($"/api/v1/periods/{period}/template.xlsx?unit=X9", world.Host.AdminKey);
        using var otherUnit = await world.Host.GetAsync($"/api/v1/periods/{period}/template.xlsx?unit=D", world.UnitKey);
        using var noPeriod = await world.Host.GetAsync($"/api/v1/periods/{Guid.NewGuid()}/template.xlsx", world.Host.AdminKey);

        Assert.Equal(("stat_pre2019", 2018, null), (blank.FormatId, blank.Year, blank.UnitCode));
        Assert.Equal("U1", forUnit.UnitCode);
        Assert.Equal((422, "unit_not_expected"), await CodeAsync(notExpected));
        Assert.Equal((403, "not_your_unit"), await CodeAsync(otherUnit));
        Assert.Equal((404, "period_not_found"), await CodeAsync(noPeriod));
    }

    [Fact]
    public async Task A_workbook_of_another_format_year_or_unit_is_refused_with_its_code_and_nothing_is_stored()
    {
        var period2019 = world.PeriodFor("""{"format_id":"fmt_2019","year":2019}"""u8.ToArray());
        var period2021 = world.PeriodFor("""{"format_id":"fmt_2021","year":2021}"""u8.ToArray());
        var fmt2019 = FormCatalog.Default.Get("fmt_2019");
        var before = await world.Host.SnapshotAsync();

        var wrongFormat = await UploadAsync(period2021, await TemplateAsync(period2019, world.UnitKey));
        var wrongYear = await UploadAsync(period2019, SubmissionTemplateWriter.Write(fmt2019, new(2020, "U1")));
        var wrongUnit = await UploadAsync(period2019, SubmissionTemplateWriter.Write(fmt2019, new(2019, "U2")));
        var notWorkbook = await UploadAsync(period2019, "{}"u8.ToArray());
        var notTemplate = await UploadAsync(period2019, EmptyWorkbook());

        Assert.Equal((422, "wrong_format"), (wrongFormat.Status, wrongFormat.Code));
        Assert.Contains("fmt_2019", wrongFormat.Detail, StringComparison.Ordinal);
        Assert.Equal((422, "wrong_year"), (wrongYear.Status, wrongYear.Code));
        Assert.Contains("2020 年度", wrongYear.Detail, StringComparison.Ordinal);
        Assert.Equal((403, "not_your_unit"), (wrongUnit.Status, wrongUnit.Code));
        Assert.Equal((400, "workbook_unreadable"), (notWorkbook.Status, notWorkbook.Code));
        Assert.Equal((422, "not_a_submission_template"), (notTemplate.Status, notTemplate.Code));
        Assert.Empty((await world.Host.SnapshotAsync()).DifferencesFrom(before));
    }

    [Fact]
    public async Task A_submitted_workbook_is_stored_as_a_version_of_the_unit()
    {
        var period = world.PeriodFor("""{"format_id":"fmt_2019","year":2019}"""u8.ToArray());
        var document = SubmissionDocument.Parse(Documents.Valid("U1").ToJsonString());
        var filled = WorkbookFiller.Fill(await TemplateAsync(period, world.UnitKey), document.Values);

        using var response = await world.Host.SendAsync(Request.Post($"/api/v1/periods/{period}/submissions")
            .WithBytes(filled, TemplateLayout.ContentType).WithKey(world.UnitKey));

        var receipt = await response.ExpectAsync(HttpStatusCode.Accepted);
        Assert.Equal("U1", receipt["unit_code"]!.GetValue<string>());
    }

    /// <summary>A readable document of a format and year the world has a period for, every cell known to its form.</summary>
    private static SubmissionDocument? Fillable(string path)
    {
        var reading = SubmissionReader.Read(File.ReadAllBytes(path));
        return reading.IsReadable
            && reading.Document.ReadingProblems.Count == 0
            && FormCatalog.Default.TryGet(reading.Document.FormatId, out var form)
            && (reading.Document.FormatId, reading.Document.Year) is ("stat_pre2019", 2018) or ("fmt_2019", 2019) or ("fmt_2021", 2021)
            && reading.Document.Values.Keys.All(id => form.TryGetCell(id, out _))
            && reading.Document.Raw.Keys.All(id => form.TryGetCell(id, out _))
                ? reading.Document
                : null;
    }

    private async Task<byte[]> TemplateAsync(Guid period, string key, string query = "")
    {
        using var response = await world.Host.GetAsync($"/api/v1/periods/{period}/template.xlsx{query}", key);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
    }

    private async Task<string> DryRunAsync(Guid period, byte[] body, string contentType)
    {
        using var response = await world.Host.SendAsync(Request.Post($"/api/v1/periods/{period}/submissions?dryRun=true")
            .WithBytes(body, contentType).WithKey(world.UnitKey));
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        var status = (int)response.StatusCode;
        return status == 200
            ? $"200 {answer["outcome"]}: {string.Join(" | ", answer["violations"]!.AsArray().Select(v => $"{v!["rule"]} {v["message"]}"))}"
            : $"{status} {answer["code"]}: {string.Join(" | ", (answer["cells"]?.AsArray() ?? []).Select(c => $"{c!["cell"]} {c["rule"]}"))}";
    }

    private async Task<(int Status, string Code, string Detail)> UploadAsync(Guid period, byte[] body)
    {
        using var response = await world.Host.SendAsync(Request.Post($"/api/v1/periods/{period}/submissions")
            .WithBytes(body, TemplateLayout.ContentType).WithKey(world.UnitKey));
        var problem = await response.ProblemAsync();
        return ((int)response.StatusCode, problem["code"]!.GetValue<string>(), problem["detail"]!.GetValue<string>());
    }

    private static async Task<(int, string)> CodeAsync(HttpResponseMessage response) =>
        ((int)response.StatusCode, (await response.ProblemAsync())["code"]!.GetValue<string>());

    private static byte[] EmptyWorkbook()
    {
        using var stream = new MemoryStream();
        using (var document = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Create(stream, DocumentFormat.OpenXml.SpreadsheetDocumentType.Workbook))
        {
            var part = document.AddWorkbookPart();
            part.Workbook = new DocumentFormat.OpenXml.Spreadsheet.Workbook(new DocumentFormat.OpenXml.Spreadsheet.Sheets());
            part.Workbook.Save();
        }

        return stream.ToArray();
    }
}

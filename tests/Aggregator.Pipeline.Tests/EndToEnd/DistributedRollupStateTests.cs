using System.Globalization;
using System.Net;
using Aggregator.Cli.Demo;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Aggregator.Pipeline.Tests.Support;
using Aggregator.Testing.Brokers;
using Aggregator.Testing.Databases;

namespace Aggregator.Pipeline.Tests.EndToEnd;

/// <summary>
/// A rollup's state over the API in the distributed mode (RabbitMQ, PostgreSQL): completed only with its report,
/// failed with a reason and a code when the report cannot be rendered.
/// </summary>
public sealed class DistributedRollupStateTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(ApiClient Api, Guid RollupId)> RollUpAsync(DistributedPipeline pipeline, int units)
    {
        var api = pipeline.CreateClient();
        var scenario = DistrictScenario.Create(unitCount: units, seed: 17, withMistakes: false, missing: 0);
        await api.RegisterAsync(scenario, Ct);
        var periodId = await api.OpenPeriodAsync(scenario.Root.Code, Ct);
        foreach (var submission in scenario.Submissions)
        {
            await api.SubmitAsync(periodId, submission.Document.ToJson(), Ct);
        }

        await api.WaitForValidationAsync(periodId, scenario.Submissions.Count, Patience, Ct);
        return (api, await api.RequestRollupAsync(periodId, Ct));
    }

    /// <summary>Reads the rollup as fast as it can until it leaves requested and rendering; every status seen, in order.</summary>
    private static async Task<List<string>> WatchUntilSettledAsync(ApiClient api, Guid rollupId)
    {
        var seen = new List<string>();
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            var rollup = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"rollups/{rollupId}", Ct));
            var status = rollup["status"]!.GetValue<string>();
            if (seen.Count == 0 || seen[^1] != status)
            {
                seen.Add(status);
            }

            if (status is "completed" or "failed")
            {
                return seen;
            }
        }

        throw new TimeoutException($"Rollup {rollupId} neither completed nor failed within {Patience}; it went {string.Join(" → ", seen)}.");
    }

    [Fact]
    public async Task The_report_can_be_downloaded_the_moment_the_rollup_reads_completed()
    {
        await using var database = await TestDatabases.PostgresAsync();
        await using var broker = await TestBroker.CreateAsync(Ct);
        await using var pipeline = await DistributedPipeline.StartAsync(database.Settings, broker.MessagingSettings(), Ct);
        var (api, rollupId) = await RollUpAsync(pipeline, units: 6);
        using var _ = api;

        var seen = await WatchUntilSettledAsync(api, rollupId);

        Assert.Equal("completed", seen[^1]);
        foreach (var format in new[] { "html", "md", "docx", "xlsx" })
        {
            using var response = await api.Http.GetAsync($"api/v1/rollups/{rollupId}/report?format={format}", Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"The {format} report answered {response.StatusCode} right after the rollup read completed (statuses seen: {string.Join(" → ", seen)}).");
        }

        Assert.All(seen.SkipLast(1), status => Assert.Contains(status, new[] { "requested", "rendering" }));
    }

    [Fact]
    public async Task The_Word_and_Excel_reports_download_with_their_media_types_a_Chinese_file_name_and_the_rollups_figures()
    {
        await using var database = await TestDatabases.PostgresAsync();
        await using var broker = await TestBroker.CreateAsync(Ct);
        await using var pipeline = await DistributedPipeline.StartAsync(database.Settings, broker.MessagingSettings(), Ct);
        var (api, rollupId) = await RollUpAsync(pipeline, units: 4);
        using var _ = api;
        Assert.Equal("completed", (await WatchUntilSettledAsync(api, rollupId))[^1]);
        var rollup = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"rollups/{rollupId}", Ct));
        var values = rollup["values"]!.AsObject().ToDictionary(v => v.Key, v => v.Value!.GetValue<decimal>());
        var title = $"{DistrictScenario.Create(unitCount: 4, seed: 17, withMistakes: false, missing: 0).Root.Name}{DistrictScenario.Year}年度政府信息公开工作年度报告";

        using var docx = await api.Http.GetAsync($"api/v1/rollups/{rollupId}/report?format=docx", Ct);
        Assert.Equal(HttpStatusCode.OK, docx.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", docx.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(title + ".docx", docx.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Contains("filename*=UTF-8''", docx.Content.Headers.GetValues("Content-Disposition").Single(), StringComparison.Ordinal);
        using (var word = WordprocessingDocument.Open(new MemoryStream(await docx.Content.ReadAsByteArrayAsync(Ct)), false))
        {
            Assert.Equal(title, word.MainDocumentPart!.Document!.Body!.Elements<DocumentFormat.OpenXml.Wordprocessing.Paragraph>().First().InnerText);
        }

        using var xlsx = await api.Http.GetAsync($"api/v1/rollups/{rollupId}/report?format=xlsx", Ct);
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        Assert.Equal(title + ".xlsx", xlsx.Content.Headers.ContentDisposition?.FileNameStar);
        using var workbook = SpreadsheetDocument.Open(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync(Ct)), false);
        var part = workbook.WorkbookPart!;
        var sheets = part.Workbook!.Sheets!.Elements<Sheet>().ToList();
        // The national tables' sheets hold every consolidated cell exactly once, as a number.
        var tableSheets = sheets.Where(s => s.Name!.Value is not ("各单位汇总明细" or "报送情况"));
        var printed = tableSheets
            .SelectMany(s => ((WorksheetPart)part.GetPartById(s.Id!)).Worksheet!.Descendants<Cell>())
            .Where(c => (c.DataType is null || c.DataType.Value == CellValues.Number) && c.CellValue is not null)
            .Sum(c => decimal.Parse(c.CellValue!.Text, NumberStyles.Float, CultureInfo.InvariantCulture));
        Assert.True(values.Count > 10);
        Assert.Equal(values.Values.Sum(), printed);
    }

    [Fact]
    public async Task A_report_that_cannot_be_rendered_leaves_the_rollup_failed_with_the_reason_and_its_code()
    {
        var templates = Directory.CreateTempSubdirectory("aggregator-templates-");
        Directory.CreateDirectory(Path.Combine(templates.FullName, "markdown", "partials"));
        await File.WriteAllTextAsync(Path.Combine(templates.FullName, "markdown", "partials", "annexes.sbn-md"), "{{ for i in 1..10 }}{{ no_such_variable }}{{ end }}", Ct);
        await using var database = await TestDatabases.PostgresAsync();
        await using var broker = await TestBroker.CreateAsync(Ct);
        var settings = new Dictionary<string, string?>(database.Settings) { ["Reporting:TemplateDirectory"] = templates.FullName };
        await using var pipeline = await DistributedPipeline.StartAsync(settings, broker.MessagingSettings(), Ct);
        var (api, rollupId) = await RollUpAsync(pipeline, units: 3);
        using var _ = api;

        var seen = await WatchUntilSettledAsync(api, rollupId);

        Assert.Equal("failed", seen[^1]);
        var rollup = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"rollups/{rollupId}", Ct));
        Assert.Equal("report_render_failed", rollup["error_code"]!.GetValue<string>());
        var error = rollup["error"]!.GetValue<string>();
        Assert.Contains("汇总报告生成失败", error, StringComparison.Ordinal);
        Assert.Contains("annexes.sbn-md", error, StringComparison.Ordinal);
        var (status, problem) = await api.GetAsync($"rollups/{rollupId}/report?format=html", Ct);
        Assert.NotEqual(HttpStatusCode.OK, status);
        Assert.NotNull(problem);
    }
}

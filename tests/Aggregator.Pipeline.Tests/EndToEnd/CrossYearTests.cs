using System.Text.Json.Nodes;
using Aggregator.Application.Periods;
using Aggregator.Application.Reports;
using Aggregator.Application.Rollups;
using Aggregator.Application.Submissions;
using Aggregator.Application.Units;
using Aggregator.Application.Validation;
using Aggregator.Cli;
using Aggregator.Core.Values;
using Aggregator.Pipeline.Tests.Support;
using Aggregator.Reporting;
using Aggregator.Storage;
using Aggregator.Storage.Reports;
using Aggregator.Storage.Units;
using Aggregator.Testing.Databases;

namespace Aggregator.Pipeline.Tests.EndToEnd;

/// <summary>
/// Last year's accepted tables in the system: the cross-year checks in each unit's verdict and 附件4 of the report,
/// through <c>rollup FOLDER --previous LASTFOLDER</c> and through the use cases on a real database. The folders are
/// tests/TestData/cross-year (see its README for which numbers disagree).
/// </summary>
public sealed class CrossYearTests
{
    private const string CarryOverMessage = "表三“总计”列：本年“二、上年结转政府信息公开申请数量”为 2，但上一年度“四、结转下年度继续办理”为 空（按 0 计）";

    private const string ItemsMessage = "“第二十条第（六）项 行政处罚（上一年项目数量）”：本年为 1100，但上一年度报告的上一年项目数量加本年增/减为 1188（911 + 277），二者应相等";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Folder(int year) => Path.Combine(AppContext.BaseDirectory, "cross-year", year.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static string NewOutput() => Path.Combine(Path.GetTempPath(), $"aggregator-rollup-out-{Guid.NewGuid():N}");

    [Fact]
    public async Task A_folder_rollup_with_last_years_folder_reports_the_cross_year_warnings_and_the_changes_largest_first()
    {
        var output = NewOutput();
        using var stderr = new StringWriter();

        var exit = await Program.RunAsync(["rollup", Folder(2020), "--previous", Folder(2019), "--out", output, "--name", "测试区"], TextWriter.Null, stderr, Ct);

        Assert.True(exit == ExitCodes.Ok, stderr.ToString());
        var markdown = await File.ReadAllTextAsync(Path.Combine(output, "report-internal.md"), Ct);
        var html = await File.ReadAllTextAsync(Path.Combine(output, "report-internal.html"), Ct);
        Assert.Contains("## 附件4　与上年度数据比较", markdown, StringComparison.Ordinal);
        Assert.Contains($"| 温州市洞头区 | X-YEAR-CARRY | 警告 | {CarryOverMessage} |", markdown, StringComparison.Ordinal);
        Assert.Contains($"| 温州市洞头区 | X-YEAR-ITEMS | 警告 | {ItemsMessage} |", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("| 宁波市机关事务管理局 | X-YEAR", markdown, StringComparison.Ordinal);
        Assert.Contains("两年均为2019年版表式，各项均可比较", markdown, StringComparison.Ordinal);
        // The largest change of all: 其他对外管理服务事项 处理决定数量 144666 → 150210.
        Assert.Contains("| 1 | 温州市洞头区 | 第二十条第（五）项 其他对外管理服务事项（处理决定数量） | 144666 | 150210 | +5544 | +3.8% |", markdown, StringComparison.Ordinal);
        Assert.Contains("id=\"annex-year-over-year\"", html, StringComparison.Ordinal);
        Assert.Contains("<tr data-rule=\"X-YEAR-CARRY\" data-unit=\"DTQ\">", html, StringComparison.Ordinal);
        using var workbook = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(Path.Combine(output, "report-internal.xlsx"), false);
        Assert.Contains(workbook.WorkbookPart!.Workbook!.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>(), s => s.Name == "同比变化");
        // Last year's units are compared, not summed: the consolidated values are this year's alone.
        var rollup = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "rollup.json"), Ct))!;
        Assert.Equal(2020, rollup["year"]!.GetValue<int>());
        Assert.Equal(30m, rollup["values"]!["s3.r1_new.total"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_folder_rollup_in_the_2021_format_compares_with_2020_where_the_formats_agree_and_says_what_cannot_be_compared()
    {
        var output = NewOutput();
        using var stderr = new StringWriter();

        var exit = await Program.RunAsync(["rollup", Folder(2021), "--previous", Folder(2020), "--out", output], TextWriter.Null, stderr, Ct);

        Assert.True(exit == ExitCodes.Ok, stderr.ToString());
        var markdown = await File.ReadAllTextAsync(Path.Combine(output, "report-internal.md"), Ct);
        Assert.Contains("上年度为2019年版表式，本年度为2021年版表式，只比较两种表式口径一致的项目", markdown, StringComparison.Ordinal);
        Assert.Contains("- 第二十条第（一）项：仅2019年版表式有此表", markdown, StringComparison.Ordinal);
        Assert.Contains("- 第二十条第（五）项：2019年版表式的“行政许可（上一年项目数量、本年增/减）”“其他对外管理服务事项”在另一表式中没有对应项目，不作比较。", markdown, StringComparison.Ordinal);
        Assert.Contains("| 宁波市机关事务管理局 | X-YEAR-CARRY | 警告 | 表三“总计”列：本年“二、上年结转政府信息公开申请数量”为 空（按 0 计），但上一年度“四、结转下年度继续办理”为 1 |", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("| 温州市洞头区 | X-YEAR", markdown, StringComparison.Ordinal);
        // （六）其他处理 2 in 2020 against 1 + 3 in 2021's three rows.
        Assert.Contains("| 表三（六）其他处理（总计，各项合计） | 2 | 4 | +2 | +100.0% |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_rollup_without_last_years_folder_prints_no_comparison()
    {
        var output = NewOutput();

        Assert.Equal(ExitCodes.Ok, await Program.RunAsync(["rollup", Folder(2020), "--out", output], TextWriter.Null, TextWriter.Null, Ct));

        Assert.DoesNotContain("附件4", await File.ReadAllTextAsync(Path.Combine(output, "report-internal.md"), Ct), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_unit_whose_accepted_report_of_last_year_disagrees_gets_the_cross_year_warnings_in_its_verdict_and_the_report_annex(DatabaseProvider provider)
    {
        await using var harness = await ApplicationHarness.CreateAsync(await TestDatabases.CreateAsync(provider));
        (await harness.Get<UnitRegistry>().UpsertAsync(
            [
                new UnitRegistration(TestDocuments.District, "测试区", OrgUnitKind.District, null),
                new UnitRegistration("DTQ", "温州市洞头区", OrgUnitKind.Other, TestDocuments.District),
                new UnitRegistration("NBJGSW", "宁波市机关事务管理局", OrgUnitKind.Department, TestDocuments.District),
            ],
            TestActors.Admin,
            Ct)).Value.ToString();
        var periods = harness.Get<PeriodService>();
        var lastYear = (await periods.OpenAsync(new OpenPeriodRequest(2019, "fmt_2019", TestDocuments.District, new DateOnly(2020, 1, 31)), TestActors.Admin, Ct)).Value;
        var thisYear = (await periods.OpenAsync(new OpenPeriodRequest(2020, "fmt_2019", TestDocuments.District, new DateOnly(2021, 1, 31)), TestActors.Admin, Ct)).Value;

        async Task<(Guid Id, string? Outcome)> SubmitAndValidateAsync(Guid periodId, int year, string unitCode)
        {
            var document = SubmissionDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Folder(year), unitCode + ".json"), Ct)) with { UnitCode = unitCode };
            var receipt = (await harness.Get<SubmissionIntake>().SubmitAsync(periodId, document, TestActors.Office, false, Ct)).Value.Receipt!;
            return (receipt.SubmissionId, (await harness.Get<SubmissionValidation>().ValidateAsync(receipt.SubmissionId, 1, Ct)).Outcome);
        }

        // Without last year's data the same table has nothing to be checked against.
        var before = await SubmitAndValidateAsync(thisYear.Id, 2020, "NBJGSW");
        Assert.Equal("accepted", before.Outcome);
        Assert.Equal("accepted", (await SubmitAndValidateAsync(lastYear.Id, 2019, "DTQ")).Outcome);
        Assert.Equal("accepted", (await SubmitAndValidateAsync(lastYear.Id, 2019, "NBJGSW")).Outcome);

        var dtq2020 = SubmissionDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Folder(2020), "DTQ.json"), Ct)) with { UnitCode = "DTQ" };
        var dryRun = (await harness.Get<SubmissionIntake>().SubmitAsync(thisYear.Id, dtq2020, TestActors.Office, true, Ct)).Value.Verdict!;
        var unit = await SubmitAndValidateAsync(thisYear.Id, 2020, "DTQ");

        Assert.Equal("accepted_with_warnings", unit.Outcome);
        var verdict = (await harness.Get<SubmissionStatusQuery>().GetAsync(unit.Id, 1, Ct))!;
        Assert.Equal(["X-YEAR-CARRY", "X-YEAR-CARRY", "X-YEAR-ITEMS"], verdict.Violations.Select(v => v.Rule));
        Assert.All(verdict.Violations, v => Assert.Equal("warning", v.Severity));
        Assert.Contains(verdict.Violations, v => v.Message == CarryOverMessage);
        Assert.Contains(verdict.Violations, v => v.Message == ItemsMessage);
        Assert.Equal("accepted_with_warnings", dryRun.Outcome);
        Assert.Equal(verdict.Violations.Select(v => (v.Rule, v.Message)), dryRun.Violations.Select(v => (v.Rule, v.Message)));

        var rollupId = (await harness.Get<RollupRequests>().RequestAsync(thisYear.Id, null, TestActors.Admin, Ct)).Value.RollupId;
        await harness.Get<RollupBuilder>().BuildAsync(rollupId, Ct);
        Assert.Equal(ReportPublicationStatus.Rendered, (await harness.Get<ReportPublication>().PublishAsync(rollupId, Ct)).Status);
        var markdown = (await harness.Get<ReportRepository>().GetAsync(rollupId, ReportFormats.StorageName(ReportOutputFormat.Markdown, ReportEdition.Internal), Ct))!;
        Assert.Contains("本附件将各已汇总单位本年度报表与其2019年度已通过校验的报表逐项比较", markdown.Content, StringComparison.Ordinal);
        Assert.Contains($"| 温州市洞头区 | X-YEAR-ITEMS | 警告 | {ItemsMessage} |", markdown.Content, StringComparison.Ordinal);
    }
}

using Aggregator.Application.Periods;
using Aggregator.Application.Reports;
using Aggregator.Application.Rollups;
using Aggregator.Application.Submissions;
using Aggregator.Application.Units;
using Aggregator.Application.Validation;
using Aggregator.Cli.Demo;
using Aggregator.Core.Values;
using Aggregator.Pipeline.Tests.Support;
using Aggregator.Storage;
using Aggregator.Storage.Periods;
using Aggregator.Storage.Rollups;
using Aggregator.Storage.Units;
using Aggregator.Testing.Databases;
using Dapper;

namespace Aggregator.Pipeline.Tests.Application;

/// <summary>A city over three districts: rollups at every node, drill-down from the city to a unit's version.</summary>
public sealed class TreeRollupTests
{
    private const string City = "C";
    private static readonly string[] Districts = ["C-D1", "C-D2", "C-D3"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<DatabaseProvider> Providers => [DatabaseProvider.Sqlite, DatabaseProvider.Postgres];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_city_rollup_equals_the_sum_of_its_district_rollups_and_drills_down_to_each_units_version(DatabaseProvider provider)
    {
        await using var harness = await ApplicationHarness.CreateAsync(await TestDatabases.CreateAsync(provider));
        await RegisterCityAsync(harness);
        var period = await OpenAsync(harness, 2019);
        var submitted = await SubmitAllAsync(harness, period, 2019);

        var city = await RollUpAsync(harness, period, null);
        var districts = new Dictionary<string, Rollup>(StringComparer.Ordinal);
        foreach (var district in Districts)
        {
            districts[district] = await RollUpAsync(harness, period, district);
        }

        // Every unit below the districts is summed once; the districts themselves report nothing and are not missing.
        Assert.Equal(submitted.Count, city.Inputs.Count);
        Assert.Empty(city.Exclusions);
        foreach (var value in city.Values)
        {
            var parts = districts.Values.Select(d => d.Values.SingleOrDefault(v => v.CellId == value.CellId)?.Value ?? 0m).Sum();
            Assert.True((value.Value ?? 0m) == parts, $"{value.CellId}: city {value.Value}, districts {parts}");
        }

        var drilldown = harness.Get<RollupDrilldown>();
        foreach (var cellId in new[] { "s3.r1_new.total", "s3.r3_7_total.total", "s2_9.central_procurement.total_amount" })
        {
            var top = (await drilldown.GetAsync(city.Id, cellId, null, Ct)).Value;
            Assert.Equal(City, top.UnitCode);
            Assert.Equal(StoredValue(city, cellId), top.Total);
            Assert.Equal(top.StoredTotal, top.Total);
            Assert.Null(top.Own);
            Assert.Equal(Districts, top.Children.Select(c => c.UnitCode));
            foreach (var child in top.Children)
            {
                Assert.Equal(("node", true, null), (child.Status, child.HasChildren, child.Version));
                Assert.Equal(StoredValue(districts[child.UnitCode], cellId), child.Value);

                var down = (await drilldown.GetAsync(city.Id, cellId, child.UnitCode, Ct)).Value;
                Assert.Equal([City, child.UnitCode], down.Path.Select(p => p.UnitCode));
                Assert.Equal(child.Value, down.Total);
                foreach (var unit in down.Children)
                {
                    var (receipt, document) = submitted[unit.UnitCode];
                    Assert.Equal(("included", false, 1, receipt.SubmissionId), (unit.Status, unit.HasChildren, unit.Version, unit.SubmissionId));
                    Assert.Equal(document.IntendedValues.TryGetValue(cellId, out var intended) ? intended : null, unit.Value);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_unit_moved_to_another_district_counts_under_the_district_it_reported_to_each_year(DatabaseProvider provider)
    {
        await using var harness = await ApplicationHarness.CreateAsync(await TestDatabases.CreateAsync(provider));
        await RegisterCityAsync(harness);
        var first = await OpenAsync(harness, 2019);
        await SubmitAllAsync(harness, first, 2019);

        // C-D1-U2 joins district 2 for 2020; the 2019 period keeps the tree it was opened with.
        (await harness.Get<UnitRegistry>().UpsertAsync(
            [new UnitRegistration("C-D1-U2", "一区第2局", OrgUnitKind.Department, "C-D2")], TestActors.Admin, Ct)).Value.ToString();
        var second = await OpenAsync(harness, 2020);
        await SubmitAllAsync(harness, second, 2020);

        var old = await RollUpAsync(harness, first, "C-D1");
        var now = await RollUpAsync(harness, second, "C-D2");
        Assert.Contains("C-D1-U2", old.Inputs.Select(i => i.UnitCode));
        Assert.Contains("C-D1-U2", now.Inputs.Select(i => i.UnitCode));
        Assert.DoesNotContain("C-D1-U2", (await RollUpAsync(harness, second, "C-D1")).Inputs.Select(i => i.UnitCode));

        var oldCity = await RollUpAsync(harness, first, null);
        var drilldown = harness.Get<RollupDrilldown>();
        var d1In2019 = (await drilldown.GetAsync(oldCity.Id, "s3.r1_new.total", "C-D1", Ct)).Value;
        Assert.Contains("C-D1-U2", d1In2019.Children.Select(c => c.UnitCode));
        Assert.Equal(StoredValue(old, "s3.r1_new.total"), d1In2019.Total);
        var newCity = await RollUpAsync(harness, second, null);
        var d2In2020 = (await drilldown.GetAsync(newCity.Id, "s3.r1_new.total", "C-D2", Ct)).Value;
        Assert.Contains("C-D1-U2", d2In2020.Children.Select(c => c.UnitCode));
        Assert.Equal(StoredValue(now, "s3.r1_new.total"), d2In2020.Total);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_resubmission_marks_stale_the_district_and_city_rollups_that_summed_the_old_version_and_not_the_others(DatabaseProvider provider)
    {
        await using var harness = await ApplicationHarness.CreateAsync(await TestDatabases.CreateAsync(provider));
        await RegisterCityAsync(harness);
        var period = await OpenAsync(harness, 2019);
        await SubmitAllAsync(harness, period, 2019);
        var city = await RollUpAsync(harness, period, null);
        var d1 = await RollUpAsync(harness, period, "C-D1");
        var d2 = await RollUpAsync(harness, period, "C-D2");

        var resubmitted = await SubmitAsync(harness, period, "C-D1-U1", 2019, seed: 99);
        var validated = await harness.Get<SubmissionValidation>().ValidateAsync(resubmitted.SubmissionId, 2, Ct);
        var marked = await harness.Get<RollupStaleness>().MarkAsync(period.Id, "C-D1-U1", resubmitted.SubmissionId, 2, validated.Outcome!, Ct);

        Assert.Equal(new[] { city.Id, d1.Id }.Order(), marked.Order());
        var query = harness.Get<RollupQuery>();
        Assert.True((await query.GetAsync(d1.Id, Ct))!.Stale);
        Assert.True((await query.GetAsync(city.Id, Ct))!.Stale);
        Assert.False((await query.GetAsync(d2.Id, Ct))!.Stale);
    }

    [Fact]
    public async Task A_city_reports_per_unit_annex_lists_its_districts_with_their_subtree_sums_not_every_unit()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        await RegisterCityAsync(harness);
        var period = await OpenAsync(harness, 2019);
        await SubmitAllAsync(harness, period, 2019);
        var city = await RollUpAsync(harness, period, null);
        var d3 = await RollUpAsync(harness, period, "C-D3");
        Assert.Equal(ReportPublicationStatus.Rendered, (await harness.Get<ReportPublication>().PublishAsync(city.Id, Ct)).Status);
        Assert.Equal(ReportPublicationStatus.Rendered, (await harness.Get<ReportPublication>().PublishAsync(d3.Id, Ct)).Status);

        var cityAnnex = BreakdownAnnex((await harness.Get<ReportQuery>().GetAsync(city.Id, "md", "internal", Ct)).Value.Content);
        var districtAnnex = BreakdownAnnex((await harness.Get<ReportQuery>().GetAsync(d3.Id, "md", "internal", Ct)).Value.Content);

        var newApplications = $"{StoredValue(d3, "s3.r1_new.total"):0}";
        Assert.Contains("| C-D1 | 一区 | 下辖 2 个单位 |", cityAnnex, StringComparison.Ordinal);
        Assert.Contains("| C-D3 | 三区 | 下辖 4 个单位 |", cityAnnex, StringComparison.Ordinal);
        Assert.Matches($@"\| C-D3 \| 三区 \| 下辖 4 个单位 \|[^\n]*\| {newApplications} \|", cityAnnex);
        Assert.DoesNotContain("一区第1局", cityAnnex, StringComparison.Ordinal);
        // A district's own report stays the flat list of its units with their versions.
        Assert.Contains("| C-D3-U4 | 三区第4局 | 1 |", districtAnnex, StringComparison.Ordinal);
        Assert.DoesNotContain("下辖", districtAnnex, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_city_reports_completeness_annex_counts_each_district_as_its_own_rollup_does_in_every_output()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        await RegisterCityAsync(harness);
        var period = await OpenAsync(harness, 2019);
        // 二区 has a unit that never submits, 三区 one whose table breaks a rule.
        var units = await harness.Get<PeriodService>().GetExpectedUnitsAsync(period.Id, Ct);
        foreach (var unit in units.Where(u => u.Kind == OrgUnitKind.Department && u.Code != "C-D2-U1"))
        {
            var mistake = unit.Code == "C-D3-U2" ? TableMistake.ResultTotalOff : TableMistake.None;
            var generated = new TableGenerator(new Random(7)).Generate(new ScenarioUnit(unit.Code, "部门" + unit.Code, OrgUnitKind.Department, null, true), mistake);
            var document = generated.Document with { Year = 2019, UnitCode = unit.Code };
            var receipt = (await harness.Get<SubmissionIntake>().SubmitAsync(period.Id, document, TestActors.Office, false, Ct)).Value.Receipt!;
            var validated = await harness.Get<SubmissionValidation>().ValidateAsync(receipt.SubmissionId, receipt.Version, Ct);
            Assert.Equal(unit.Code == "C-D3-U2", validated.Outcome == "rejected");
        }

        var city = await RollUpAsync(harness, period, null);
        Assert.Equal(ReportPublicationStatus.Rendered, (await harness.Get<ReportPublication>().PublishAsync(city.Id, Ct)).Status);
        var expected = new List<string[]>();
        for (var d = 0; d < Districts.Length; d++)
        {
            var district = await RollUpAsync(harness, period, Districts[d]);
            var included = district.Inputs.Count;
            var rejected = district.Exclusions.Count(e => e.Reason == ExclusionReason.Rejected);
            var missing = district.Exclusions.Count(e => e.Reason is ExclusionReason.Missing or ExclusionReason.Pending);
            var all = included + rejected + missing;
            expected.Add([Districts[d], $"{"一二三"[d]}区", $"下辖 {all} 个单位", $"{all}", $"{included + rejected}", $"{included}", $"{rejected}", $"{missing}"]);
        }

        Assert.Equal(["2", "2", "2", "0", "0"], expected[0][3..]);
        Assert.Equal(["3", "2", "2", "0", "1"], expected[1][3..]);
        Assert.Equal(["4", "4", "3", "1", "0"], expected[2][3..]);

        var query = harness.Get<ReportQuery>();
        var markdown = (await query.GetAsync(city.Id, "md", "internal", Ct)).Value.Content;
        var mdAnnex = Between(markdown, "## 附件2", "## 附件3");
        var mdRows = mdAnnex.Split('\n').Where(line => line.StartsWith("| ", StringComparison.Ordinal) && line.Contains("下辖", StringComparison.Ordinal)).ToList();
        Assert.Equal(expected.Select((row, i) => $"| {i + 1} | {string.Join(" | ", row)} |"), mdRows);
        Assert.DoesNotContain("区第", mdAnnex, StringComparison.Ordinal);

        var html = Between((await query.GetAsync(city.Id, "html", "internal", Ct)).Value.Content, "id=\"annex-completeness\"", "id=\"annex-validation\"");
        foreach (var row in expected)
        {
            Assert.Contains($"<td class=\"value\">{row[0]}</td><td class=\"text\">{row[1]}</td><td class=\"text\">{row[2]}</td>"
                + string.Concat(row[3..].Select(n => $"<td class=\"value\">{n}</td>")) + "</tr>", html, StringComparison.Ordinal);
        }

        Assert.Equal(3, html.Split("<tr>").Length - 2);
        Assert.DoesNotContain("区第", html, StringComparison.Ordinal);

        var docx = (await query.GetAsync(city.Id, "docx", "internal", Ct)).Value.File;
        using (var word = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(new MemoryStream(docx), false))
        {
            var body = word.MainDocumentPart!.Document!.Body!.Elements().ToList();
            var start = body.FindIndex(e => e.InnerText == "附件2　报送情况");
            var end = body.FindIndex(e => e.InnerText == "附件3　汇总表校验结果");
            Assert.True(start >= 0 && end > start, "附件2 and 附件3 headings in the Word report");
            var annex = body[start..end];
            var table = Assert.Single(annex.OfType<DocumentFormat.OpenXml.Wordprocessing.Table>());
            var rows = table.Elements<DocumentFormat.OpenXml.Wordprocessing.TableRow>()
                .Select(r => r.Elements<DocumentFormat.OpenXml.Wordprocessing.TableCell>().Select(c => c.InnerText).ToArray()).ToList();
            Assert.Equal(["单位代码", "单位名称", "情况", "应报", "已报送", "已汇总", "未通过校验", "未报送"], rows[0]);
            Assert.Equal(expected, rows.Skip(1));
            Assert.DoesNotContain(annex, e => e.InnerText.Contains("区第", StringComparison.Ordinal));
        }

        var xlsx = (await query.GetAsync(city.Id, "xlsx", "internal", Ct)).Value.File;
        using var workbook = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        var part = workbook.WorkbookPart!;
        var sheet = part.Workbook!.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().Single(s => s.Name == "报送情况");
        var sheetRows = ((DocumentFormat.OpenXml.Packaging.WorksheetPart)part.GetPartById(sheet.Id!)).Worksheet!
            .Descendants<DocumentFormat.OpenXml.Spreadsheet.Row>()
            .Select(r => r.Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>().Select(c => c.InlineString?.InnerText ?? c.CellValue?.Text ?? string.Empty).ToArray())
            .ToList();
        Assert.Equal(expected, sheetRows.Where(r => r.Length > 0 && r[0].StartsWith("C-D", StringComparison.Ordinal)));
        Assert.DoesNotContain(sheetRows.SelectMany(r => r), text => text.Contains("区第", StringComparison.Ordinal));
    }

    private static string Between(string text, string from, string to)
    {
        var start = text.IndexOf(from, StringComparison.Ordinal);
        var end = text.IndexOf(to, start, StringComparison.Ordinal);
        return text[start..end];
    }

    private static string BreakdownAnnex(string markdown)
    {
        var start = markdown.IndexOf("## 附件1", StringComparison.Ordinal);
        var end = markdown.IndexOf("二、汇总数据来源", start, StringComparison.Ordinal);
        return markdown[start..end];
    }

    [Theory]
    [InlineData(null)]
    [InlineData("C-D3")]
    public async Task A_rollup_built_without_its_stored_split_reports_and_splits_its_children_as_one_built_with_it(string? node)
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        await RegisterCityAsync(harness);
        var period = await OpenAsync(harness, 2019);
        await SubmitAllAsync(harness, period, 2019);
        var split = await RollUpAsync(harness, period, node);
        var streamed = await RollUpAsync(harness, period, node);
        Assert.NotEqual(split.Id, streamed.Id);
        // A city's split by districts is stored; a district's children are its units, whose cells are stored already.
        Assert.Equal(node is null, (await harness.Get<RollupRepository>().GetChildValuesAsync(split.Id, Ct)).Count > 0);
        // As a rollup built before the split was stored: its children and its report come from its inputs' cells.
        await using (var connection = await harness.Database.Connections.OpenAsync(Ct))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM rollup_child_values WHERE rollup_id = @Id", new { streamed.Id }, cancellationToken: Ct));
        }

        Assert.Empty(await harness.Get<RollupRepository>().GetChildValuesAsync(streamed.Id, Ct));
        Assert.Equal(ReportPublicationStatus.Rendered, (await harness.Get<ReportPublication>().PublishAsync(split.Id, Ct)).Status);
        Assert.Equal(ReportPublicationStatus.Rendered, (await harness.Get<ReportPublication>().PublishAsync(streamed.Id, Ct)).Status);

        var children = await harness.Get<RollupChildren>().GetAsync(split.Id, Ct);
        var childrenStreamed = await harness.Get<RollupChildren>().GetAsync(streamed.Id, Ct);
        Assert.Equal(node is null ? 3 : 4, children.Count);
        Assert.Equal(
            childrenStreamed.Select(c => (c.UnitCode, c.Units, c.Version, string.Join(";", c.Values.OrderBy(v => v.Key, StringComparer.Ordinal)))),
            children.Select(c => (c.UnitCode, c.Units, c.Version, string.Join(";", c.Values.OrderBy(v => v.Key, StringComparer.Ordinal)))));
        Assert.Equal(
            BreakdownAnnex((await harness.Get<ReportQuery>().GetAsync(streamed.Id, "md", "internal", Ct)).Value.Content),
            BreakdownAnnex((await harness.Get<ReportQuery>().GetAsync(split.Id, "md", "internal", Ct)).Value.Content));
    }

    [Fact]
    public async Task A_drill_down_refuses_an_unknown_cell_and_a_unit_outside_the_rollup()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        await RegisterCityAsync(harness);
        var period = await OpenAsync(harness, 2019);
        await SubmitAllAsync(harness, period, 2019);
        var d1 = await RollUpAsync(harness, period, "C-D1");
        var drilldown = harness.Get<RollupDrilldown>();

        Assert.Equal("drilldown_unknown_cell", (await drilldown.GetAsync(d1.Id, "s9.nothing.total", null, Ct)).Problem?.Code);
        Assert.Equal("unit_not_in_rollup", (await drilldown.GetAsync(d1.Id, "s3.r1_new.total", "C-D2-U1", Ct)).Problem?.Code);
        Assert.Equal("not_found", (await drilldown.GetAsync(Guid.NewGuid(), "s3.r1_new.total", null, Ct)).Problem?.Code);
    }

    private static decimal? StoredValue(Rollup rollup, string cellId) => rollup.Values.SingleOrDefault(v => v.CellId == cellId)?.Value;

    private static async Task RegisterCityAsync(ApplicationHarness harness)
    {
        var units = new List<UnitRegistration> { new(City, "测试市", OrgUnitKind.City, null) };
        for (var d = 0; d < Districts.Length; d++)
        {
            units.Add(new UnitRegistration(Districts[d], $"{"一二三"[d]}区", OrgUnitKind.District, City));
            units.AddRange(Enumerable.Range(1, 2 + d).Select(u => new UnitRegistration($"{Districts[d]}-U{u}", $"{"一二三"[d]}区第{u}局", OrgUnitKind.Department, Districts[d])));
        }

        (await harness.Get<UnitRegistry>().UpsertAsync(units, TestActors.Admin, Ct)).Value.ToString();
    }

    private static async Task<Period> OpenAsync(ApplicationHarness harness, int year) =>
        (await harness.Get<PeriodService>().OpenAsync(new OpenPeriodRequest(year, "fmt_2019", City, new DateOnly(year + 1, 1, 31)), TestActors.Admin, Ct)).Value;

    private static async Task<Dictionary<string, (SubmissionReceipt Receipt, GeneratedSubmission Document)>> SubmitAllAsync(
        ApplicationHarness harness, Period period, int year)
    {
        var submitted = new Dictionary<string, (SubmissionReceipt, GeneratedSubmission)>(StringComparer.Ordinal);
        var units = await harness.Get<PeriodService>().GetExpectedUnitsAsync(period.Id, Ct);
        foreach (var unit in units.Where(u => u.Kind == OrgUnitKind.Department))
        {
            var generated = Generate(unit.Code, year, seed: unit.Code.GetHashCode(StringComparison.Ordinal) & 0xffff);
            var receipt = (await harness.Get<SubmissionIntake>().SubmitAsync(period.Id, generated.Document, TestActors.Office, false, Ct)).Value.Receipt!;
            var validated = await harness.Get<SubmissionValidation>().ValidateAsync(receipt.SubmissionId, receipt.Version, Ct);
            Assert.True(validated.Outcome is "accepted" or "accepted_with_warnings", $"{unit.Code}: {validated.Outcome}");
            submitted[unit.Code] = (receipt, generated);
        }

        return submitted;
    }

    private static async Task<SubmissionReceipt> SubmitAsync(ApplicationHarness harness, Period period, string unitCode, int year, int seed) =>
        (await harness.Get<SubmissionIntake>().SubmitAsync(period.Id, Generate(unitCode, year, seed).Document, TestActors.Office, false, Ct)).Value.Receipt!;

    private static GeneratedSubmission Generate(string unitCode, int year, int seed)
    {
        var generated = new TableGenerator(new Random(seed)).Generate(
            new ScenarioUnit(unitCode, "部门" + unitCode, OrgUnitKind.Department, null, true), TableMistake.None);
        return generated with { Document = generated.Document with { Year = year, UnitCode = unitCode } };
    }

    private static async Task<Rollup> RollUpAsync(ApplicationHarness harness, Period period, string? unitCode)
    {
        var rollupId = (await harness.Get<RollupRequests>().RequestAsync(period.Id, unitCode, TestActors.Admin, Ct)).Value.RollupId;
        Assert.Equal(RollupBuildStatus.Computed, (await harness.Get<RollupBuilder>().BuildAsync(rollupId, Ct)).Status);
        return (await harness.Get<RollupRepository>().GetAsync(rollupId, Ct))!;
    }
}

using Aggregator.Application.Periods;
using Aggregator.Application.Rollups;
using Aggregator.Application.Submissions;
using Aggregator.Application.Validation;
using Aggregator.Core.Text;
using Aggregator.Core.Values;
using Aggregator.Pipeline.Tests.Support;
using Aggregator.Storage;
using Aggregator.Testing.Databases;

namespace Aggregator.Pipeline.Tests.Application;

/// <summary>内容雷同: a version's narrative compared, when it is validated, with the other units' and last year's.</summary>
public sealed class TextSimilarityTests
{
    private const string Narrative = """
        一、总体情况
        2019年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政府信息公开工作。
        全年通过门户网站主动公开政府信息共计128条，其中政策解读21条。
        依申请公开工作依法有序开展，均在法定期限内答复。
        二、存在的主要问题及改进情况
        信息公开的及时性和规范性仍有待进一步提高，下一步将加强培训。
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_unit_whose_narrative_is_nearly_another_units_gets_a_warning_naming_it_and_is_still_summed()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var period = await harness.OpenSmallDistrictAsync();
        var intake = harness.Get<SubmissionIntake>();
        var validation = harness.Get<SubmissionValidation>();
        async Task<(Guid Id, string? Outcome)> SubmitAndValidateAsync(SubmissionDocument document)
        {
            // Through the JSON text, as the API receives it: the narrative field is read like the others.
            var receipt = (await intake.SubmitAsync(period.Id, document.ToJson(), TestActors.Office, false, Ct)).Value.Receipt!;
            return (receipt.SubmissionId, (await validation.ValidateAsync(receipt.SubmissionId, receipt.Version, Ct)).Outcome);
        }

        var first = await SubmitAndValidateAsync(TestDocuments.Valid("T-D01", seed: 1).Document with { Narrative = Narrative });
        var second = await SubmitAndValidateAsync(TestDocuments.Valid("T-D02", seed: 2).Document with
        {
            Narrative = Narrative.Replace("下一步将加强培训", "下一步将完善制度", StringComparison.Ordinal),
        });

        Assert.Equal("accepted", first.Outcome);
        Assert.Equal("accepted_with_warnings", second.Outcome);
        var verdict = (await harness.Get<SubmissionStatusQuery>().GetAsync(second.Id, 1, Ct))!;
        var warning = Assert.Single(verdict.Violations);
        Assert.Equal((TextSimilarity.SameAsUnitRuleId, "warning"), (warning.Rule, warning.Severity));
        Assert.Equal("报告正文与测试部门1的报告有 80% 的句子相同（内容雷同）", warning.Message);
        var board = (await harness.Get<CompletenessQuery>().GetAsync(period.Id, Ct))!;
        Assert.Contains(board.Units.Single(u => u.UnitCode == "T-D02").FailingRules, r => TextSimilarity.IsSimilarityRule(r.Rule) && r.Message.Contains("内容雷同", StringComparison.Ordinal));
        var rollupId = (await harness.Get<RollupRequests>().RequestAsync(period.Id, null, TestActors.Admin, Ct)).Value.RollupId;
        var build = await harness.Get<RollupBuilder>().BuildAsync(rollupId, Ct);
        Assert.Equal((2, 0), (build.Included, build.Rejected));
    }

    [Fact]
    public async Task A_unit_repeating_its_narrative_of_the_year_before_gets_a_warning_with_that_year()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var lastYear = await harness.OpenSmallDistrictAsync();
        var thisYear = (await harness.Get<PeriodService>().OpenAsync(
            new OpenPeriodRequest(2020, "fmt_2019", TestDocuments.District, new DateOnly(2021, 1, 31)), TestActors.Admin, Ct)).Value;
        var intake = harness.Get<SubmissionIntake>();
        var validation = harness.Get<SubmissionValidation>();
        var document = TestDocuments.Valid("T-D01").Document with { Narrative = Narrative };
        var old = (await intake.SubmitAsync(lastYear.Id, document, TestActors.Office, false, Ct)).Value.Receipt!;
        await validation.ValidateAsync(old.SubmissionId, 1, Ct);
        var other = (await intake.SubmitAsync(thisYear.Id, TestDocuments.Valid("T-D02").Document with { Year = 2020, Narrative = "完全不同的一段正文内容。" }, TestActors.Office, false, Ct)).Value.Receipt!;
        await validation.ValidateAsync(other.SubmissionId, 1, Ct);

        var receipt = (await intake.SubmitAsync(thisYear.Id, document with { Year = 2020 }, TestActors.Office, false, Ct)).Value.Receipt!;
        await validation.ValidateAsync(receipt.SubmissionId, 1, Ct);

        var verdict = (await harness.Get<SubmissionStatusQuery>().GetAsync(receipt.SubmissionId, 1, Ct))!;
        var warning = Assert.Single(verdict.Violations, v => TextSimilarity.IsSimilarityRule(v.Rule));
        Assert.Equal(TextSimilarity.SameAsLastYearRuleId, warning.Rule);
        Assert.Equal("报告正文与本单位 2019 年度的报告有 100% 的句子相同（内容雷同，请写明本年度情况）", warning.Message);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_dry_run_gets_the_内容雷同_and_正文与表格不符_warnings_that_validating_the_stored_version_gives(DatabaseProvider provider)
    {
        await using var harness = await ApplicationHarness.CreateAsync(await TestDatabases.CreateAsync(provider));
        var period = await harness.OpenSmallDistrictAsync();
        var intake = harness.Get<SubmissionIntake>();
        var validation = harness.Get<SubmissionValidation>();
        var first = (await intake.SubmitAsync(period.Id, TestDocuments.Valid("T-D01", seed: 1).Document with { Narrative = Narrative }, TestActors.Office, false, Ct)).Value.Receipt!;
        await validation.ValidateAsync(first.SubmissionId, first.Version, Ct);
        var figures = TestDocuments.Valid("T-D02", seed: 2).Document;
        var inTable = TableNormalizer.Normalize(Core.Forms.FormCatalog.Default.Get(figures.FormatId), figures).Table.GetValue("s3.r1_new.total")!.Value;
        var document = figures with { Narrative = Narrative + $"本年度共收到政府信息公开申请{inTable + 6}件。\n" };

        var dryRun = (await intake.SubmitAsync(period.Id, document, TestActors.Office, true, Ct)).Value.Verdict!;
        var receipt = (await intake.SubmitAsync(period.Id, document, TestActors.Office, false, Ct)).Value.Receipt!;
        var run = await validation.ValidateAsync(receipt.SubmissionId, receipt.Version, Ct);

        Assert.Equal(1, receipt.Version);
        Assert.Equal(("accepted_with_warnings", "accepted_with_warnings"), (dryRun.Outcome, run.Outcome));
        Assert.Equal([NarrativeCheck.RuleId, TextSimilarity.SameAsUnitRuleId], dryRun.Violations.Select(v => v.Rule).Order(StringComparer.Ordinal));
        var stored = (await harness.Get<SubmissionStatusQuery>().GetAsync(receipt.SubmissionId, receipt.Version, Ct))!;
        Assert.Equal(
            stored.Violations.Select(v => (v.Rule, v.Severity, v.Message)),
            dryRun.Violations.Select(v => (v.Rule, v.Severity, v.Message)));
    }
}

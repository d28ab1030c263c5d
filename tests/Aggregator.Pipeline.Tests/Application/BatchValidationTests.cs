using Aggregator.Application.Periods;
using Aggregator.Application.Submissions;
using Aggregator.Application.Units;
using Aggregator.Application.Validation;
using Aggregator.Core.Text;
using Aggregator.Core.Values;
using Aggregator.Pipeline.Tests.Support;
using Aggregator.Storage;
using Aggregator.Storage.Units;
using Aggregator.Testing.Databases;

namespace Aggregator.Pipeline.Tests.Application;

/// <summary>Versions validated as one batch get the verdicts they would get one after the other, in that order.</summary>
public sealed class BatchValidationTests
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

    private static string Folder(int year) => Path.Combine(AppContext.BaseDirectory, "cross-year", year.ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Last_years_version_earlier_in_the_batch_is_the_accepted_report_this_years_is_checked_against(DatabaseProvider provider)
    {
        await using var harness = await ApplicationHarness.CreateAsync(await TestDatabases.CreateAsync(provider));
        var (last, current) = await SubmitBothYearsAsync(harness);
        var unknown = Guid.NewGuid();
        var validation = harness.Get<SubmissionValidation>();

        var runs = await validation.ValidateManyAsync([(last, 1), (current, 1), (unknown, 1), (current, 1)], Ct);

        Assert.Equal(
            [
                new ValidationRun(ValidationRunStatus.Validated, "accepted"),
                new ValidationRun(ValidationRunStatus.Validated, "accepted_with_warnings"),
                new ValidationRun(ValidationRunStatus.NotFound, null),
                new ValidationRun(ValidationRunStatus.AlreadyValidated, "accepted_with_warnings"),
            ],
            runs);
        var verdict = (await harness.Get<SubmissionStatusQuery>().GetAsync(current, 1, Ct))!;
        Assert.Equal(["X-YEAR-CARRY", "X-YEAR-CARRY", "X-YEAR-ITEMS"], verdict.Violations.Select(v => v.Rule));
        Assert.Equal(
            [new ValidationRun(ValidationRunStatus.AlreadyValidated, "accepted"), new ValidationRun(ValidationRunStatus.AlreadyValidated, "accepted_with_warnings")],
            await validation.ValidateManyAsync([(last, 1), (current, 1)], Ct));
    }

    [Fact]
    public async Task This_years_version_before_last_years_in_the_batch_has_nothing_to_be_checked_against_as_one_after_the_other()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var (last, current) = await SubmitBothYearsAsync(harness);

        var runs = await harness.Get<SubmissionValidation>().ValidateManyAsync([(current, 1), (last, 1)], Ct);

        Assert.Equal([new ValidationRun(ValidationRunStatus.Validated, "accepted"), new ValidationRun(ValidationRunStatus.Validated, "accepted")], runs);
    }

    [Fact]
    public async Task Two_units_with_nearly_the_same_narrative_in_one_batch_both_get_the_warning_naming_the_other()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var period = await harness.OpenSmallDistrictAsync();
        var intake = harness.Get<SubmissionIntake>();
        var first = (await intake.SubmitAsync(period.Id, (TestDocuments.Valid("T-D01", seed: 1).Document with { Narrative = Narrative }).ToJson(), TestActors.Office, false, Ct)).Value.Receipt!;
        var second = (await intake.SubmitAsync(period.Id, (TestDocuments.Valid("T-D02", seed: 2).Document with
        {
            Narrative = Narrative.Replace("下一步将加强培训", "下一步将完善制度", StringComparison.Ordinal),
        }).ToJson(), TestActors.Office, false, Ct)).Value.Receipt!;

        var runs = await harness.Get<SubmissionValidation>().ValidateManyAsync([(first.SubmissionId, 1), (second.SubmissionId, 1)], Ct);

        Assert.All(runs, run => Assert.Equal(new ValidationRun(ValidationRunStatus.Validated, "accepted_with_warnings"), run));
        var status = harness.Get<SubmissionStatusQuery>();
        var warnings = (await status.GetAsync(first.SubmissionId, 1, Ct))!.Violations.Concat((await status.GetAsync(second.SubmissionId, 1, Ct))!.Violations).ToList();
        Assert.Equal([TextSimilarity.SameAsUnitRuleId, TextSimilarity.SameAsUnitRuleId], warnings.Select(w => w.Rule));
        Assert.Contains(warnings, w => w.Message.Contains("测试部门1", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Message.Contains("测试部门2", StringComparison.Ordinal));
    }

    // 洞头区's 2019 report in the 2019 period and its 2020 report in the 2020 period of the same district, unvalidated.
    private static async Task<(Guid LastYear, Guid ThisYear)> SubmitBothYearsAsync(ApplicationHarness harness)
    {
        await harness.Get<UnitRegistry>().UpsertAsync(
            [
                new UnitRegistration(TestDocuments.District, "测试区", OrgUnitKind.District, null),
                new UnitRegistration("DTQ", "温州市洞头区", OrgUnitKind.Other, TestDocuments.District),
            ],
            TestActors.Admin,
            Ct);
        var periods = harness.Get<PeriodService>();
        var lastYear = (await periods.OpenAsync(new OpenPeriodRequest(2019, "fmt_2019", TestDocuments.District, new DateOnly(2020, 1, 31)), TestActors.Admin, Ct)).Value;
        var thisYear = (await periods.OpenAsync(new OpenPeriodRequest(2020, "fmt_2019", TestDocuments.District, new DateOnly(2021, 1, 31)), TestActors.Admin, Ct)).Value;
        async Task<Guid> SubmitAsync(Guid periodId, int year)
        {
            var document = SubmissionDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Folder(year), "DTQ.json"), Ct)) with { UnitCode = "DTQ" };
            return (await harness.Get<SubmissionIntake>().SubmitAsync(periodId, document, TestActors.Office, false, Ct)).Value.Receipt!.SubmissionId;
        }

        return (await SubmitAsync(lastYear.Id, 2019), await SubmitAsync(thisYear.Id, 2020));
    }
}

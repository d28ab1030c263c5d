using Aggregator.Application.Periods;
using Aggregator.Application.Results;
using Aggregator.Application.Units;
using Aggregator.Pipeline.Tests.Support;
using Aggregator.Storage;

namespace Aggregator.Pipeline.Tests.Application;

public sealed class PeriodServiceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Opens_a_period_that_expects_every_unit_below_the_root()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();

        var period = await harness.OpenSmallDistrictAsync(departments: 4);
        var read = await harness.Get<PeriodService>().GetAsync(period.Id, Ct);

        Assert.Equal(4, read!.ExpectedUnitCount);
        Assert.Equal(PeriodStatus.Open, read.Status);
        Assert.Equal(["T-D01", "T-D02", "T-D03", "T-D04"], (await harness.Get<PeriodService>().GetExpectedUnitsAsync(period.Id, Ct)).Select(u => u.Code));
        Assert.True(await harness.Get<PeriodService>().IsExpectedAsync(period.Id, "T-D02", Ct));
        Assert.False(await harness.Get<PeriodService>().IsExpectedAsync(period.Id, TestDocuments.District, Ct));
    }

    [Fact]
    public async Task Requests_asking_at_once_for_a_periods_expected_units_share_one_read()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var period = await harness.OpenSmallDistrictAsync(departments: 3);
        var expected = harness.Get<ExpectedUnits>();

        var reads = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => expected.GetAsync(period.Id, Ct))));
        var unknown = Guid.NewGuid();
        var beforeOpening = await expected.GetAsync(unknown, Ct);

        Assert.All(reads, read => Assert.Same(reads[0], read));
        Assert.Equal(["T-D01", "T-D02", "T-D03"], reads[0].Keys.Order(StringComparer.Ordinal));
        Assert.Same(reads[0], await expected.GetAsync(period.Id, Ct));
        Assert.Empty(beforeOpening);
    }

    [Theory]
    [InlineData("fmt_2030", 2019, "form_id")]
    [InlineData("fmt_2021", 2019, "year")]
    [InlineData("stat_pre2019", 2019, "year")]
    public async Task Refuses_a_form_that_does_not_exist_or_does_not_cover_the_year(string formId, int year, string field)
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        await harness.Get<UnitRegistry>().UpsertAsync(TestDocuments.SmallDistrict(), TestActors.Admin, Ct);

        var result = await harness.Get<PeriodService>().OpenAsync(
            new OpenPeriodRequest(year, formId, TestDocuments.District, new DateOnly(2020, 1, 31)), TestActors.Admin, Ct);

        Assert.Equal(ProblemCodes.InvalidRequest, result.Problem?.Code);
        Assert.Equal(field, Assert.Single(result.Problem!.Errors).Field);
    }

    [Fact]
    public async Task Refuses_an_unregistered_root_and_a_root_without_units_below_it()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        await harness.Get<UnitRegistry>().UpsertAsync(TestDocuments.SmallDistrict(), TestActors.Admin, Ct);
        var periods = harness.Get<PeriodService>();

        var unknown = await periods.OpenAsync(new OpenPeriodRequest(2019, "fmt_2019", "NOWHERE", new DateOnly(2020, 1, 31)), TestActors.Admin, Ct);
        var leaf = await periods.OpenAsync(new OpenPeriodRequest(2019, "fmt_2019", "T-D01", new DateOnly(2020, 1, 31)), TestActors.Admin, Ct);

        Assert.Equal("root_unit", Assert.Single(unknown.Problem!.Errors).Field);
        Assert.Contains("没有下级单位", Assert.Single(leaf.Problem!.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_second_period_for_the_same_root_and_year_as_a_conflict()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        await harness.OpenSmallDistrictAsync();

        var again = await harness.Get<PeriodService>().OpenAsync(
            new OpenPeriodRequest(2019, "fmt_2019", TestDocuments.District, new DateOnly(2020, 3, 1)), TestActors.Admin, Ct);

        Assert.Equal(ProblemCodes.Conflict, again.Problem?.Code);
    }

    [Fact]
    public async Task Closes_a_period_and_closing_again_changes_nothing()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var period = await harness.OpenSmallDistrictAsync();
        var periods = harness.Get<PeriodService>();

        var closed = await periods.CloseAsync(period.Id, TestActors.Admin, Ct);
        var again = await periods.CloseAsync(period.Id, TestActors.Admin, Ct);

        Assert.Equal(PeriodStatus.Closed, closed.Value.Status);
        Assert.Equal(PeriodStatus.Closed, again.Value.Status);
        Assert.Equal(ProblemCodes.PeriodNotFound, (await periods.CloseAsync(Guid.NewGuid(), TestActors.Admin, Ct)).Problem?.Code);
    }
}

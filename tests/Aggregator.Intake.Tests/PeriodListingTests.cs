using System.Net;
using Aggregator.Application.Periods;
using Aggregator.Intake.Tests.Support;

namespace Aggregator.Intake.Tests;

/// <summary>What the pages list: periods, a period's submissions and rollups, completeness with ids and lateness.</summary>
public sealed class PeriodListingTests(World world) : IClassFixture<World>
{
    [Fact]
    public async Task The_office_lists_every_period_newest_year_first()
    {
        var body = await (await world.Host.GetAsync("/api/v1/periods", world.AdminKey)).ExpectAsync(HttpStatusCode.OK);
        var periods = body["periods"]!.AsArray();
        Assert.Equal([world.ClosedPeriod, world.OpenPeriod], periods.Select(p => p!["id"]!.GetValue<Guid>()).Take(2));
        Assert.Equal("closed", periods[0]!["status"]!.GetValue<string>());
        Assert.Equal(3, periods[1]!["expected_units"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_unit_key_lists_only_the_periods_that_expect_its_unit()
    {
        var own = await (await world.Host.GetAsync("/api/v1/periods", world.U1Key)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, own["periods"]!.AsArray().Count);
        var other = await (await world.Host.GetAsync("/api/v1/periods", world.X1Key)).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(other["periods"]!.AsArray());
    }

    [Fact]
    public async Task Completeness_names_each_units_submission_and_how_many_days_late_it_is()
    {
        var body = await (await world.Host.GetAsync($"/api/v1/periods/{world.OpenPeriod}/completeness", world.AdminKey)).ExpectAsync(HttpStatusCode.OK);
        var units = body["units"]!.AsArray().ToDictionary(u => u!["unit_code"]!.GetValue<string>());
        Assert.Equal(world.U1Submission, units["U1"]!["submission_id"]!.GetValue<Guid>());
        Assert.Null(units["U2"]!["submission_id"]);
        // Due 2020-01-31: whatever arrives now is years late, and so is a unit that sent nothing.
        var expected = CompletenessQuery.DaysLate(new DateOnly(2020, 1, 31), DateTimeOffset.UtcNow);
        Assert.InRange(units["U1"]!["days_late"]!.GetValue<int>(), expected - 1, expected);
        Assert.InRange(units["U2"]!["days_late"]!.GetValue<int>(), expected - 1, expected);
        Assert.Empty(units["U1"]!["failing_rules"]!.AsArray());
    }

    [Fact]
    public async Task A_periods_submissions_are_listed_to_the_office_and_to_a_unit_only_its_own()
    {
        var office = await (await world.Host.GetAsync($"/api/v1/periods/{world.OpenPeriod}/submissions", world.AdminKey)).ExpectAsync(HttpStatusCode.OK);
        var listed = office["submissions"]!.AsArray();
        Assert.Contains(listed, s => s!["submission_id"]!.GetValue<Guid>() == world.U1Submission && s["unit_code"]!.GetValue<string>() == "U1");

        var u2 = await (await world.Host.GetAsync($"/api/v1/periods/{world.OpenPeriod}/submissions", world.U2Key)).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(u2["submissions"]!.AsArray(), s => s!["unit_code"]!.GetValue<string>() != "U2");
    }

    [Fact]
    public async Task A_periods_rollups_are_listed_with_their_status()
    {
        var body = await (await world.Host.GetAsync($"/api/v1/periods/{world.OpenPeriod}/rollups", world.OpsKey)).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(body["rollups"]!.AsArray(), r => r!["rollup_id"]!.GetValue<Guid>() == world.Rollup);
        using var unknown = await world.Host.GetAsync($"/api/v1/periods/{Guid.NewGuid()}/rollups", world.AdminKey);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    [InlineData("2020-01-31T15:59:59+00:00", 0)] // 23:59:59 in Beijing on the due date
    [InlineData("2020-01-31T16:00:00+00:00", 1)]
    [InlineData("2020-02-10T12:00:00+08:00", 10)]
    [InlineData("2019-12-01T00:00:00+08:00", 0)]
    public void Days_late_count_calendar_days_in_China_Standard_Time(string at, int days) =>
        Assert.Equal(days, CompletenessQuery.DaysLate(new DateOnly(2020, 1, 31), DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));
}

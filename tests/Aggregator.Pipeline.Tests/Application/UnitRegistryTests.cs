using Aggregator.Application.Results;
using Aggregator.Application.Units;
using Aggregator.Pipeline.Tests.Support;
using Aggregator.Storage.Units;

namespace Aggregator.Pipeline.Tests.Application;

public sealed class UnitRegistryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Registers_a_district_with_its_departments_and_lists_them()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var registry = harness.Get<UnitRegistry>();

        var written = await registry.UpsertAsync(TestDocuments.SmallDistrict(2), TestActors.Admin, Ct);
        var units = await registry.ListAsync(Ct);

        Assert.Equal(3, written.Value);
        Assert.Equal(["T-D01", "T-D02", "T-DIST"], units.Select(u => u.Code));
        Assert.All(units.Where(u => u.Code != TestDocuments.District), u => Assert.Equal(TestDocuments.District, u.ParentCode));
    }

    [Fact]
    public async Task Updates_a_registered_unit_in_place()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var registry = harness.Get<UnitRegistry>();
        await registry.UpsertAsync(TestDocuments.SmallDistrict(1), TestActors.Admin, Ct);

        await registry.UpsertAsync([new UnitRegistration("T-D01", "改名后的部门", "department", TestDocuments.District)], TestActors.Admin, Ct);

        Assert.Equal("改名后的部门", (await registry.GetAsync("T-D01", Ct))!.Name);
        Assert.Equal(2, (await registry.ListAsync(Ct)).Count);
    }

    [Fact]
    public async Task Refuses_an_unknown_kind_and_a_blank_name_with_field_errors()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();

        var result = await harness.Get<UnitRegistry>().UpsertAsync(
            [new UnitRegistration("X1", " ", "ministry", null)], TestActors.Admin, Ct);

        Assert.Equal(ProblemCodes.InvalidRequest, result.Problem?.Code);
        Assert.Equal(["[0].name", "[0].kind"], result.Problem!.Errors.Select(e => e.Field));
        Assert.Empty(await harness.Get<UnitRegistry>().ListAsync(Ct));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("-leading-dash")]
    [InlineData("区教育局")]
    public async Task Refuses_a_malformed_unit_code(string code)
    {
        await using var harness = await ApplicationHarness.SqliteAsync();

        var result = await harness.Get<UnitRegistry>().UpsertAsync([new UnitRegistration(code, "某单位", "department", null)], TestActors.Admin, Ct);

        Assert.Equal(ProblemCodes.InvalidUnitCode, result.Problem?.Code);
        Assert.Contains(code, result.Problem!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_parent_that_is_neither_registered_nor_in_the_batch()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();

        var result = await harness.Get<UnitRegistry>().UpsertAsync(
            [new UnitRegistration("A1", "某局", "department", "NOPE")], TestActors.Admin, Ct);

        Assert.Equal(ProblemCodes.InvalidRequest, result.Problem?.Code);
        Assert.Equal("[0].parent", Assert.Single(result.Problem!.Errors).Field);
    }

    [Fact]
    public async Task Refuses_a_batch_that_makes_a_unit_its_own_ancestor()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();

        var result = await harness.Get<UnitRegistry>().UpsertAsync(
            [new UnitRegistration("A", "甲", "department", "B"), new UnitRegistration("B", "乙", "department", "A")], TestActors.Admin, Ct);

        Assert.Equal(ProblemCodes.InvalidRequest, result.Problem?.Code);
        Assert.Empty(await harness.Get<UnitRegistry>().ListAsync(Ct));
    }
}

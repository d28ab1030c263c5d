using Aggregator.Storage.ApiKeys;
using Aggregator.Storage.Units;

namespace Aggregator.Storage.Tests;

public abstract partial class StorageSuite
{
    [Fact]
    public async Task A_unit_moved_and_renamed_is_stored_with_one_audit_row_for_each_change()
    {
        var (district, a, b) = (StorageHarness.NewCode("d"), StorageHarness.NewCode("a"), StorageHarness.NewCode("b"));
        await Store.Units.UpsertManyAsync(
            [
                new UnitRegistration(district, "区", OrgUnitKind.District, null),
                new UnitRegistration(a, "甲局", OrgUnitKind.Department, district),
                new UnitRegistration(b, "乙局", OrgUnitKind.Department, district),
            ],
            Actor.Cli,
            Token);

        var outcome = await Store.Units.ChangeAsync(b, "乙局（新）", a, Actor.Cli, Token);

        Assert.Equal(UnitChangeOutcome.Changed, outcome);
        var stored = await Store.Units.GetAsync(b, Token);
        Assert.Equal(("乙局（新）", a), (stored!.Name, stored.ParentCode));
        Assert.Equal([b], (await Store.Units.GetDescendantsAsync(a, Token)).Select(unit => unit.Code));
        var audit = await Store.Audit.ListAsync(0, 10, "org_unit", b, Token);
        Assert.Equal(["unit.moved", "unit.renamed"], audit.Items.Select(item => item.Action).Order(StringComparer.Ordinal));
        Assert.Equal(UnitChangeOutcome.Unchanged, await Store.Units.ChangeAsync(b, "乙局（新）", a, Actor.Cli, Token));
    }

    [Fact]
    public async Task A_move_under_the_unit_itself_or_below_it_is_refused_and_changes_nothing()
    {
        var (top, middle, leaf) = (StorageHarness.NewCode("t"), StorageHarness.NewCode("m"), StorageHarness.NewCode("l"));
        await Store.Units.UpsertManyAsync(
            [
                new UnitRegistration(top, "上", OrgUnitKind.District, null),
                new UnitRegistration(middle, "中", OrgUnitKind.Department, top),
                new UnitRegistration(leaf, "下", OrgUnitKind.Department, middle),
            ],
            Actor.Cli,
            Token);

        Assert.Equal(UnitChangeOutcome.Cycle, await Store.Units.ChangeAsync(top, "上", leaf, Actor.Cli, Token));
        Assert.Equal(UnitChangeOutcome.Cycle, await Store.Units.ChangeAsync(middle, "中", middle, Actor.Cli, Token));
        Assert.Equal(UnitChangeOutcome.ParentNotFound, await Store.Units.ChangeAsync(middle, "中", StorageHarness.NewCode("n"), Actor.Cli, Token));
        Assert.Equal(UnitChangeOutcome.NotFound, await Store.Units.ChangeAsync(StorageHarness.NewCode("n"), "无", null, Actor.Cli, Token));

        Assert.Null((await Store.Units.GetAsync(top, Token))!.ParentCode);
        Assert.Equal(top, (await Store.Units.GetAsync(middle, Token))!.ParentCode);
        Assert.DoesNotContain((await Store.Audit.ListAsync(0, 10, "org_unit", top, Token)).Items, item => item.Action == "unit.moved");
    }

    [Fact]
    public async Task Many_keys_are_stored_together_under_one_audit_row_or_not_at_all()
    {
        var units = new[] { StorageHarness.NewCode("u"), StorageHarness.NewCode("u") };
        await Store.Units.UpsertManyAsync([.. units.Select(code => new UnitRegistration(code, "单位", OrgUnitKind.Department, null))], Actor.Cli, Token);
        ApiKey Key(string unit, string prefix) =>
            new() { Id = Guid.NewGuid(), KeyPrefix = prefix, KeyHash = "hash", Role = ApiKeyRole.Unit, UnitCode = unit, Label = "批量", CreatedAt = default };
        var prefixes = units.Select(_ => StorageHarness.NewCode("k")).ToArray();
        var marker = StorageHarness.NewCode("m");

        var stored = await Store.ApiKeys.AddManyAsync([Key(units[0], prefixes[0]), Key(units[1], prefixes[1])], new { marker }, Actor.Cli, Token);

        Assert.Equal(2, stored.Count);
        foreach (var prefix in prefixes)
        {
            Assert.Equal(stored.Single(key => key.KeyPrefix == prefix).Id, (await Store.ApiKeys.FindByPrefixAsync(prefix, Token))!.Id);
        }

        var audit = await Store.Audit.ListAsync(0, 200, "api_key", "*", Token);
        Assert.Single(audit.Items, item => item.Action == "api_keys.issued_bulk" && item.Details!.Contains(marker, StringComparison.Ordinal));

        var fresh = StorageHarness.NewCode("k");
        await Assert.ThrowsAsync<DuplicateRecordException>(() =>
            Store.ApiKeys.AddManyAsync([Key(units[0], fresh), Key(units[1], prefixes[1])], new { marker = "again" }, Actor.Cli, Token));
        Assert.Null(await Store.ApiKeys.FindByPrefixAsync(fresh, Token));
    }
}

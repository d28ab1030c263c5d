using Aggregator.Testing.Databases;

namespace Aggregator.Storage.Tests;

public abstract partial class StorageSuite
{
    [Fact]
    public async Task A_database_at_0012_gets_each_periods_expected_unit_count_when_migrated_to_0013()
    {
        await using var database = (await TestDatabases.TryCreateAsync(fixture.Provider)).Require();
        await database.CreateMigrator().MigrateAsync("0012_submission_text_hashes.sql", Token);
        var store = new StorageHarness(database);
        var (three, _, _) = await store.OpenDistrictAsWrittenBeforeAsync(database, 3, withParents: true);
        var (five, _, _) = await store.OpenDistrictAsWrittenBeforeAsync(database, 5, withParents: true);

        var upgrade = await database.CreateMigrator().MigrateAsync(Token);

        Assert.Contains(upgrade.AppliedScripts, script => script.EndsWith(".0013_period_expected_unit_count.sql", StringComparison.Ordinal));
        Assert.Equal(3, (await store.Periods.GetAsync(three.Id, Token))!.ExpectedUnitCount);
        Assert.Equal(5, (await store.Periods.GetAsync(five.Id, Token))!.ExpectedUnitCount);
        Assert.Equal([5, 3], (await store.Periods.ListAsync(Token)).Where(p => p.Id == three.Id || p.Id == five.Id).Select(p => p.ExpectedUnitCount).OrderDescending());
    }
}

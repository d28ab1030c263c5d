using Aggregator.Storage.Texts;

namespace Aggregator.Storage.Tests;

/// <summary>The narrative stored with a version, and each unit's latest one in a period, on every database.</summary>
public abstract partial class StorageSuite
{
    [Fact]
    public async Task Each_unit_keeps_its_latest_narrative_and_a_later_version_without_one_does_not_erase_it()
    {
        var (period, _, units) = await Store.OpenDistrictAsync(3);
        var cells = StorageHarness.Cells(("s1.a", 1m));
        await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", cells, new VersionText("第一版正文。", 1, "00000000000000aa"), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        var second = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", cells, new VersionText("第二版正文。\n另一段。", 2, "00000000000000bb 00000000000000cc"), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", cells, null, Actor.Cli, StorageHarness.AnnounceVersion, Token);
        await Store.Submissions.AddVersionAsync(period.Id, units[1], "{}", cells, Actor.Cli, StorageHarness.AnnounceVersion, Token);
        await Store.Submissions.AddVersionAsync(period.Id, units[2], "{}", cells, new VersionText("部门三的正文。", 1, "00000000000000dd"), Actor.Cli, StorageHarness.AnnounceVersion, Token);

        var latest = await Store.Texts.ListLatestAsync(period.Id, Token);

        Assert.Equal(
            [(units[0], "部门1", second.Version, 2, "00000000000000bb 00000000000000cc"), (units[2], "部门3", 1, 1, "00000000000000dd")],
            latest.Select(t => (t.UnitCode, t.UnitName, t.Version, t.SentenceCount, t.SentenceHashes)));
        Assert.Empty(await Store.Texts.ListLatestAsync(Guid.NewGuid(), Token));
    }
}

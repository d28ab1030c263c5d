using Aggregator.Storage.Texts;
using Aggregator.Storage.Submissions;

namespace Aggregator.Storage.Tests;

/// <summary>The narrative stored with a version, a unit's latest one, and the texts sharing its sentences, on every database.</summary>
public abstract partial class StorageSuite
{
    [Fact]
    public async Task A_units_latest_narrative_is_found_and_a_later_version_without_one_does_not_erase_it()
    {
        var (period, _, units) = await Store.OpenDistrictAsync(3);
        var cells = StorageHarness.Cells(("s1.a", 1m));
        await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", cells, new VersionText("第一版正文。", 1, "00000000000000aa"), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        var second = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", cells, new VersionText("第二版正文。\n另一段。", 2, "00000000000000bb 00000000000000cc"), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", cells, null, Actor.Cli, StorageHarness.AnnounceVersion, Token);
        await Store.Submissions.AddVersionAsync(period.Id, units[1], "{}", cells, Actor.Cli, StorageHarness.AnnounceVersion, Token);

        var latest = await Store.Texts.FindLatestAsync(period.Id, units[0], Token);

        Assert.Equal((units[0], "部门1", second.Version, 2, "00000000000000bb 00000000000000cc"), (latest!.UnitCode, latest.UnitName, latest.Version, latest.SentenceCount, latest.SentenceHashes));
        Assert.Null(await Store.Texts.FindLatestAsync(period.Id, units[1], Token));
        Assert.Null(await Store.Texts.FindLatestAsync(Guid.NewGuid(), units[0], Token));
    }

    [Fact]
    public async Task Texts_sharing_sentences_are_the_other_units_latest_ones_of_the_period_with_enough_hashes_in_common()
    {
        var (period, _, units) = await Store.OpenDistrictAsync(3);
        var (otherPeriod, _, otherUnits) = await Store.OpenDistrictAsync(1);
        var cells = StorageHarness.Cells(("s1.a", 1m));
        Task<StoredVersion> Add(Guid periodId, string unit, string hashes) => Store.Submissions.AddVersionAsync(
            periodId, unit, "{}", cells, new VersionText("正文。", hashes.Split(' ').Length, hashes), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        var mine = await Add(period.Id, units[0], "00000000000000aa 00000000000000bb 00000000000000cc");
        // Unit 2 once wrote the same three sentences, then replaced them: only its latest text counts.
        await Add(period.Id, units[1], "00000000000000aa 00000000000000bb 00000000000000cc");
        await Add(period.Id, units[1], "00000000000000aa 00000000000000dd");
        await Add(period.Id, units[2], "00000000000000aa 00000000000000bb 00000000000000ee");
        await Add(otherPeriod.Id, otherUnits[0], "00000000000000aa 00000000000000bb 00000000000000cc");

        var twoShared = await Store.Texts.ListSharingAsync(period.Id, units[0], mine.SubmissionId, mine.Version, 2, Token);
        var oneShared = await Store.Texts.ListSharingAsync(period.Id, units[0], mine.SubmissionId, mine.Version, 1, Token);

        Assert.Equal([(units[2], 1)], twoShared.Select(t => (t.UnitCode, t.Version)));
        Assert.Equal([(units[1], 2), (units[2], 1)], oneShared.Select(t => (t.UnitCode, t.Version)));
        Assert.Empty(await Store.Texts.ListSharingAsync(period.Id, units[0], mine.SubmissionId, mine.Version, 4, Token));
    }
}

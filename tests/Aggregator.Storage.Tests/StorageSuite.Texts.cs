using Aggregator.Storage.Submissions;
using Aggregator.Storage.Texts;
using Aggregator.Testing.Databases;
using Dapper;

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

        // A dry run's text, not stored, given by its hashes (one repeated): the same texts.
        string[] hashes = ["00000000000000aa", "00000000000000bb", "00000000000000cc", "00000000000000bb"];
        var unstoredTwo = await Store.Texts.ListSharingAsync(period.Id, units[0], hashes, 2, Token);
        var unstoredOne = await Store.Texts.ListSharingAsync(period.Id, units[0], hashes, 1, Token);
        Assert.Equal(twoShared.Select(t => (t.UnitCode, t.UnitName, t.Version, t.SentenceHashes)), unstoredTwo.Select(t => (t.UnitCode, t.UnitName, t.Version, t.SentenceHashes)));
        Assert.Equal(oneShared.Select(t => (t.UnitCode, t.Version)), unstoredOne.Select(t => (t.UnitCode, t.Version)));
        Assert.Empty(await Store.Texts.ListSharingAsync(period.Id, units[0], hashes, 4, Token));
        Assert.Empty(await Store.Texts.ListSharingAsync(period.Id, units[0], ["00000000000000ff"], 1, Token));
    }

    [Fact]
    public async Task A_database_at_0011_gets_the_hashes_of_its_stored_texts_when_migrated_to_0012()
    {
        await using var database = (await TestDatabases.TryCreateAsync(fixture.Provider)).Require();
        await database.CreateMigrator().MigrateAsync("0011_submission_texts.sql", Token);
        var store = new StorageHarness(database);
        var (period, _, units) = await store.OpenDistrictAsWrittenBeforeAsync(database, 3, withParents: true);
        var cells = StorageHarness.Cells(("s1.a", 1m));
        var versions = new List<StoredVersion>();
        foreach (var unit in units)
        {
            versions.Add(await store.Submissions.AddVersionAsync(period.Id, unit, "{}", cells, null, Actor.Cli, StorageHarness.AnnounceVersion, Token));
        }

        // Written as 0011 held them; a sentence said twice is one hash, and an empty text has none.
        string[] hashes = ["00000000000000aa 00000000000000bb 00000000000000aa", "00000000000000aa 00000000000000bb 00000000000000cc", ""];
        await using (var connection = await database.Connections.OpenAsync(Token))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO submission_texts (submission_id, version, narrative, sentence_count, sentence_hashes)
                VALUES (@SubmissionId, @Version, '正文。', @Count, @Hashes)
                """,
                versions.Select((v, i) => new { v.SubmissionId, v.Version, Count = hashes[i].Split(' ', StringSplitOptions.RemoveEmptyEntries).Length, Hashes = hashes[i] }).ToList(),
                cancellationToken: Token));
        }

        var upgrade = await database.CreateMigrator().MigrateAsync(Token);

        Assert.Contains(upgrade.AppliedScripts, script => script.EndsWith(".0012_submission_text_hashes.sql", StringComparison.Ordinal));
        await using (var connection = await database.Connections.OpenAsync(Token))
        {
            Assert.Equal(5, await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM submission_text_hashes", cancellationToken: Token)));
        }

        var first = versions[0];
        Assert.Equal([units[1]], (await store.Texts.ListSharingAsync(period.Id, units[0], first.SubmissionId, first.Version, 2, Token)).Select(t => t.UnitCode));
        Assert.Empty(await store.Texts.ListSharingAsync(period.Id, units[0], first.SubmissionId, first.Version, 3, Token));
    }
}

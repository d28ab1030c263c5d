using Aggregator.Storage.Submissions;
using Aggregator.Storage.Texts;

namespace Aggregator.Storage.Tests;

/// <summary>Versions submitted at the same time share transactions, and each still gets exactly its own outcome.</summary>
public abstract partial class StorageSuite
{
    [Fact]
    public async Task Concurrent_versions_commit_together_each_with_its_own_version_number_submitter_and_message()
    {
        var (period, _, units) = await Store.OpenDistrictAsync(20);
        var writer = new GroupCommitWriter(Store.Submissions);
        var submitters = units.Select((unit, i) => new Actor($"key-{i}", "department")).ToList();
        // Three versions of every unit at once: each unit's versions are numbered 1, 2, 3 whatever batch they fall in.
        var writes = Enumerable.Range(0, 3).SelectMany(round => units.Select((unit, i) => (Unit: unit, Submitter: submitters[i], Task: Task.Run(() => writer.AddAsync(
            new NewVersion(period.Id, unit, "{}", StorageHarness.Cells(("c0", round + i)), null),
            submitters[i],
            StorageHarness.AnnounceVersion))))).ToList();
        var results = await Task.WhenAll(writes.Select(write => write.Task));
        var done = writes.Select((write, i) => (write.Unit, write.Submitter, Stored: results[i])).ToList();

        foreach (var group in done.GroupBy(write => write.Unit))
        {
            Assert.Single(group.Select(write => write.Stored.SubmissionId).Distinct());
            Assert.Equal([1, 2, 3], group.Select(write => write.Stored.Version).Order());
            foreach (var write in group)
            {
                var stored = await Store.Submissions.GetAsync(write.Stored.SubmissionId, write.Stored.Version, Token);
                Assert.Equal(write.Submitter.Id, stored!.SubmittedBy);
            }
        }

        Assert.InRange(writer.Transactions, 1, writes.Count - 1);
        var announced = (await Store.Outbox.GetPendingAsync(DateTimeOffset.MaxValue, 10_000, Token))
            .Where(message => done.Any(write => message.Payload.Contains(write.Stored.SubmissionId.ToString(), StringComparison.Ordinal)))
            .ToList();
        Assert.Equal(writes.Count, announced.Count);
    }

    [Fact]
    public async Task A_version_the_database_refuses_fails_alone_and_the_others_of_its_batch_are_stored()
    {
        var (period, _, units) = await Store.OpenDistrictAsync(12);
        var writer = new GroupCommitWriter(Store.Submissions);
        var good = units.Select(unit => Task.Run(() => writer.AddAsync(
            new NewVersion(period.Id, unit, "{}", StorageHarness.Cells(("c0", 1m)), null), Actor.Cli, StorageHarness.AnnounceVersion))).ToList();
        // Not an expected unit of the period: the foreign key refuses it inside whichever batch it joins.
        var refused = Task.Run(() => writer.AddAsync(
            new NewVersion(period.Id, "not-expected-" + Guid.NewGuid().ToString("N")[..6], "{}", StorageHarness.Cells(("c0", 1m)), null), Actor.Cli, StorageHarness.AnnounceVersion));

        await Assert.ThrowsAnyAsync<Exception>(() => refused);
        foreach (var stored in await Task.WhenAll(good))
        {
            Assert.Equal(1, stored.Version);
            Assert.Single(await Store.Submissions.GetCellsAsync(stored.SubmissionId, stored.Version, Token));
        }

        await Assert.ThrowsAsync<ArgumentException>(() => writer.AddAsync(
            new NewVersion(period.Id, units[0], "{}", StorageHarness.Cells(("c0", 1m), ("c0", 2m)), null), Actor.Cli, StorageHarness.AnnounceVersion));
    }

    [Fact]
    public async Task A_batch_listing_a_unit_three_times_numbers_its_versions_in_order_with_each_ones_cells_text_audit_and_message()
    {
        var (period, _, units) = await Store.OpenDistrictAsync(2);
        var (a, b) = (units[0], units[1]);
        var submitter = new Actor("key-batch", "department");
        var text = new VersionText("第二版的正文。", 1, "h-one h-two h-one");
        NewVersion Version(string unit, decimal value, VersionText? narrative = null) =>
            new(period.Id, unit, $"{{\"v\":{value}}}", StorageHarness.Cells(("c0", value), ("c1", value + 1)), narrative);

        var stored = await Store.Submissions.AddVersionsAsync(
            [Version(a, 1m), Version(b, 10m), Version(a, 2m, text), Version(a, 3m)], submitter, (_, version) => StorageHarness.AnnounceVersion(version), Token);
        var again = await Store.Submissions.AddVersionAsync(period.Id, a, "{}", StorageHarness.Cells(("c0", 4m)), submitter, StorageHarness.AnnounceVersion, Token);

        Assert.Equal([1, 1, 2, 3], stored.Select(s => s.Version));
        Assert.Equal(stored[0].SubmissionId, stored[2].SubmissionId);
        Assert.Equal(stored[0].SubmissionId, stored[3].SubmissionId);
        Assert.NotEqual(stored[0].SubmissionId, stored[1].SubmissionId);
        Assert.Equal((stored[0].SubmissionId, 4), (again.SubmissionId, again.Version));
        decimal[] values = [1m, 10m, 2m, 3m];
        for (var i = 0; i < stored.Count; i++)
        {
            var cells = await Store.Submissions.GetCellsAsync(stored[i].SubmissionId, stored[i].Version, Token);
            Assert.Equal([values[i], values[i] + 1], cells.Select(c => c.Value!.Value));
            var version = await Store.Submissions.GetAsync(stored[i].SubmissionId, stored[i].Version, Token);
            Assert.Equal($"{{\"v\":{values[i]}}}", version!.Document);
            Assert.Equal(submitter.Id, version.SubmittedBy);
        }

        var latestText = await Store.Texts.FindLatestAsync(period.Id, a, Token);
        Assert.Equal((2, "h-one h-two h-one"), (latestText!.Version, latestText.SentenceHashes));
        var audit = await Store.Audit.ListAsync(0, 10, "submission", stored[0].SubmissionId.ToString(), Token);
        Assert.Equal([4, 3, 2, 1], audit.Items.Select(item => System.Text.Json.JsonDocument.Parse(item.Details!).RootElement.GetProperty("version").GetInt32()));
        Assert.All(audit.Items, item => Assert.Equal(("submission.received", "key-batch", "department"), (item.Action, item.Actor, item.ActorRole)));
        var announced = (await Store.Outbox.GetPendingAsync(DateTimeOffset.MaxValue, 10_000, Token))
            .Where(message => stored.Any(s => message.Payload.Contains(s.SubmissionId.ToString(), StringComparison.Ordinal)))
            .Select(message => System.Text.Json.JsonDocument.Parse(message.Payload).RootElement)
            .Select(payload => (payload.GetProperty("submissionId").GetGuid(), payload.GetProperty("version").GetInt32()))
            .ToList();
        Assert.Equal([.. stored.Select(s => (s.SubmissionId, s.Version)), (again.SubmissionId, again.Version)], announced);
    }
}

using Aggregator.Storage.Submissions;

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
}

using Aggregator.Storage.Outbox;
using Aggregator.Storage.Submissions;
using Aggregator.Storage.Validation;

namespace Aggregator.Storage.Tests;

public abstract partial class StorageSuite
{
    private const string BatchValidated = "Test.BatchValidated";

    [Fact]
    public async Task A_batch_of_validation_results_stores_each_new_one_and_skips_the_done_and_the_missing()
    {
        var (period, _, units) = await Store.OpenDistrictAsync(3);
        var a = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", StorageHarness.Cells(("x", 1m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        var b = await Store.Submissions.AddVersionAsync(period.Id, units[1], "{}", StorageHarness.Cells(("x", 2m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        var done = await Store.Submissions.AddVersionAsync(period.Id, units[2], "{}", StorageHarness.Cells(("x", 3m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        Assert.True(await Store.Validation.SaveResultAsync(done.SubmissionId, done.Version, SubmissionStatus.Accepted, "[]", StorageHarness.Announce(BatchValidated, done.SubmissionId), Token));
        var doneBefore = await Store.Submissions.GetAsync(done.SubmissionId, Token);
        const string violations = """[{"rule":"S3-BALANCE"}]""";

        var saved = await Store.Validation.SaveResultsAsync(
            [
                Result(a.SubmissionId, a.Version, SubmissionStatus.Rejected, violations),
                Result(done.SubmissionId, done.Version, SubmissionStatus.Rejected, violations),
                Result(b.SubmissionId, 7, SubmissionStatus.Accepted, "[]"),
                Result(b.SubmissionId, b.Version, SubmissionStatus.AcceptedWithWarnings, "[]"),
                Result(a.SubmissionId, a.Version, SubmissionStatus.Accepted, "[]"),
            ],
            Token);

        Assert.Equal([true, false, false, true, false], saved);
        var storedA = (await Store.Submissions.GetAsync(a.SubmissionId, Token))!;
        Assert.Equal((SubmissionStatus.Rejected, violations), (storedA.Status, storedA.ViolationsJson));
        Assert.Equal(SubmissionStatus.AcceptedWithWarnings, (await Store.Submissions.GetAsync(b.SubmissionId, Token))!.Status);
        Assert.Equal(doneBefore, await Store.Submissions.GetAsync(done.SubmissionId, Token));
        Assert.Single(await PendingAsync(BatchValidated, a.SubmissionId));
        Assert.Single(await PendingAsync(BatchValidated, b.SubmissionId));
        Assert.Single(await PendingAsync(BatchValidated, done.SubmissionId));
        foreach (var (id, outcome) in new[] { (a.SubmissionId, SubmissionStatus.Rejected), (b.SubmissionId, SubmissionStatus.AcceptedWithWarnings), (done.SubmissionId, SubmissionStatus.Accepted) })
        {
            var audit = (await Store.Audit.ListAsync(0, 50, "submission", id.ToString(), Token)).Items.Where(item => item.Action == "submission.validated").ToList();
            var entry = Assert.Single(audit);
            Assert.Equal(outcome, System.Text.Json.JsonDocument.Parse(entry.Details!).RootElement.GetProperty("outcome").GetString());
        }
    }

    [Fact]
    public async Task Versions_read_together_come_back_in_the_order_asked_each_as_read_alone_and_null_where_missing()
    {
        var (period, _, units) = await Store.OpenDistrictAsync(2);
        var a1 = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{\"n\":1}", StorageHarness.Cells(("x", 1m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        var a2 = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{\"n\":2}", StorageHarness.Cells(("x", 2m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        var b = await Store.Submissions.AddVersionAsync(period.Id, units[1], "{\"n\":3}", StorageHarness.Cells(("x", 3m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        Assert.True(await Store.Validation.SaveResultAsync(b.SubmissionId, b.Version, SubmissionStatus.Rejected, "[]", [], Token));
        (Guid, int)[] keys = [(b.SubmissionId, b.Version), (a1.SubmissionId, a1.Version), (a2.SubmissionId, 9), (a2.SubmissionId, a2.Version), (a1.SubmissionId, a1.Version)];

        var read = await Store.Submissions.GetManyAsync(keys, Token);

        Assert.Equal(keys.Length, read.Count);
        for (var i = 0; i < keys.Length; i++)
        {
            Assert.Equal(await Store.Submissions.GetAsync(keys[i].Item1, keys[i].Item2, Token), read[i]);
        }

        Assert.Null(read[2]);
        Assert.Equal((SubmissionStatus.Rejected, "{\"n\":3}"), (read[0]!.Status, read[0]!.Document));
        Assert.Equal("{\"n\":2}", read[3]!.Document);
    }

    [Fact]
    public async Task A_batch_of_validation_results_saved_again_changes_nothing()
    {
        var (period, _, units) = await Store.OpenDistrictAsync(2);
        var a = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", StorageHarness.Cells(("x", 1m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        var b = await Store.Submissions.AddVersionAsync(period.Id, units[1], "{}", StorageHarness.Cells(("x", 2m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        NewValidationResult[] batch = [Result(a.SubmissionId, a.Version, SubmissionStatus.Accepted, "[]"), Result(b.SubmissionId, b.Version, SubmissionStatus.Rejected, "[]")];
        Assert.Equal([true, true], await Store.Validation.SaveResultsAsync(batch, Token));
        var before = (await Store.Submissions.GetAsync(a.SubmissionId, Token), await Store.Submissions.GetAsync(b.SubmissionId, Token));

        var again = await Store.Validation.SaveResultsAsync(batch, Token);

        Assert.Equal([false, false], again);
        Assert.Equal(before, (await Store.Submissions.GetAsync(a.SubmissionId, Token), await Store.Submissions.GetAsync(b.SubmissionId, Token)));
        Assert.Single(await PendingAsync(BatchValidated, a.SubmissionId));
        Assert.Single(await PendingAsync(BatchValidated, b.SubmissionId));
        Assert.Single((await Store.Audit.ListAsync(0, 50, "submission", a.SubmissionId.ToString(), Token)).Items, item => item.Action == "submission.validated");
    }

    [Fact]
    public async Task A_batch_whose_write_fails_midway_stores_none_of_its_results()
    {
        var (period, _, units) = await Store.OpenDistrictAsync(2);
        var a = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", StorageHarness.Cells(("x", 1m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        var b = await Store.Submissions.AddVersionAsync(period.Id, units[1], "{}", StorageHarness.Cells(("x", 2m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        // The second result's outbox row breaks a NOT NULL column: the database refuses it after the first is written.
        NewValidationResult broken = Result(b.SubmissionId, b.Version, SubmissionStatus.Accepted, "[]") with { Announcements = [new OutboxEntry(BatchValidated, null!)] };

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() =>
            Store.Validation.SaveResultsAsync([Result(a.SubmissionId, a.Version, SubmissionStatus.Accepted, "[]"), broken], Token));

        foreach (var id in new[] { a.SubmissionId, b.SubmissionId })
        {
            var version = (await Store.Submissions.GetAsync(id, Token))!;
            Assert.Equal((SubmissionStatus.Received, null), (version.Status, version.ValidatedAt));
            Assert.Empty(await PendingAsync(BatchValidated, id));
            Assert.DoesNotContain((await Store.Audit.ListAsync(0, 50, "submission", id.ToString(), Token)).Items, item => item.Action == "submission.validated");
        }

        Assert.Equal([true, true], await Store.Validation.SaveResultsAsync(
            [Result(a.SubmissionId, a.Version, SubmissionStatus.Accepted, "[]"), Result(b.SubmissionId, b.Version, SubmissionStatus.Accepted, "[]")], Token));
    }

    [Fact]
    public async Task A_batch_with_an_unknown_outcome_is_refused_before_anything_is_written()
    {
        var (period, _, units) = await Store.OpenDistrictAsync(1);
        var a = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", StorageHarness.Cells(("x", 1m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);

        await Assert.ThrowsAsync<ArgumentException>(() => Store.Validation.SaveResultsAsync(
            [Result(a.SubmissionId, a.Version, SubmissionStatus.Accepted, "[]"), Result(a.SubmissionId, a.Version, "maybe", "[]")], Token));

        Assert.Null((await Store.Submissions.GetAsync(a.SubmissionId, Token))!.ValidatedAt);
    }

    private static NewValidationResult Result(Guid submissionId, int version, string outcome, string violations) =>
        new(submissionId, version, outcome, violations, StorageHarness.Announce(BatchValidated, submissionId));
}

using Aggregator.Storage.Outbox;
using Aggregator.Storage.Reconciliation;

namespace Aggregator.Storage.Tests;

public abstract partial class StorageSuite
{
    // Every record written by now has waited since before this cutoff; the suite's database is shared, so each test
    // looks only at its own records among those found.
    private static DateTimeOffset WaitedUntilNow => DateTimeOffset.UtcNow.AddMinutes(1);

    // A cutoff after everything written so far and before anything written next, as a pass computes it.
    private static async Task<DateTimeOffset> CutoffAfterWritesAsync()
    {
        await Task.Delay(TimeSpan.FromMilliseconds(20), Token);
        var cutoff = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromMilliseconds(20), Token);
        return cutoff;
    }

    [Fact]
    public async Task A_version_still_received_is_found_and_announced_again_once_per_wait()
    {
        var (period, _, units) = await Store.OpenDistrictAsync(1);
        var stored = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", StorageHarness.Cells(("a", 1m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        var cutoff = await CutoffAfterWritesAsync();

        var stalled = Assert.Single(await Store.Reconciliation.FindStalledVersionsAsync(cutoff, 100_000, Token), v => v.SubmissionId == stored.SubmissionId);
        Assert.Equal((stored.Version, period.Id, units[0]), (stalled.Version, stalled.PeriodId, stalled.UnitCode));

        var pendingBefore = await PendingOutboxCountAsync("Test.Reannounced");
        var first = await Store.Reconciliation.ReannounceAsync(stalled, cutoff, [new OutboxEntry("Test.Reannounced", "{}")], Token);
        var second = await Store.Reconciliation.ReannounceAsync(stalled, cutoff, [new OutboxEntry("Test.Reannounced", "{}")], Token);

        Assert.True(first);
        Assert.False(second);
        Assert.Equal(pendingBefore + 1, await PendingOutboxCountAsync("Test.Reannounced"));
        Assert.DoesNotContain(await Store.Reconciliation.FindStalledVersionsAsync(cutoff, 100_000, Token), v => v.SubmissionId == stored.SubmissionId);
        Assert.Contains(await Store.Reconciliation.FindStalledVersionsAsync(await CutoffAfterWritesAsync(), 100_000, Token), v => v.SubmissionId == stored.SubmissionId);
    }

    [Fact]
    public async Task A_validated_version_is_never_announced_again()
    {
        var (period, _, units) = await Store.OpenDistrictAsync(1);
        var stored = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", StorageHarness.Cells(("a", 1m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        var stalled = new StalledVersion(stored.SubmissionId, stored.Version, period.Id, units[0]);
        await Store.Validation.SaveResultAsync(stored.SubmissionId, stored.Version, SubmissionStatus.Accepted, "[]", [], Token);

        Assert.DoesNotContain(await Store.Reconciliation.FindStalledVersionsAsync(WaitedUntilNow, 100_000, Token), v => v.SubmissionId == stored.SubmissionId);
        Assert.False(await Store.Reconciliation.ReannounceAsync(stalled, WaitedUntilNow, [new OutboxEntry("Test.Reannounced", "{}")], Token));
    }

    [Fact]
    public async Task A_rollup_is_found_waiting_for_its_sums_then_for_its_report_but_not_once_completed()
    {
        var (period, district, _) = await Store.OpenDistrictAsync(1);
        var rollupId = await Store.Rollups.CreateAsync(period.Id, district, Actor.Cli, id => StorageHarness.Announce("Test.RollupRequested", id), Token);

        var requested = Assert.Single(await Store.Reconciliation.FindStalledRollupsAsync(WaitedUntilNow, 100_000, Token), r => r.RollupId == rollupId);
        Assert.Equal((RollupStatus.Requested, period.Id, district), (requested.Status, requested.PeriodId, requested.UnitCode));
        Assert.True(await Store.Reconciliation.ReannounceAsync(requested, WaitedUntilNow, [new OutboxEntry("Test.Reannounced", "{}")], Token));

        await Store.Rollups.StoreSumsAsync(rollupId, [], [], [], [], Token);
        var rendering = Assert.Single(await Store.Reconciliation.FindStalledRollupsAsync(DateTimeOffset.UtcNow.AddMinutes(2), 100_000, Token), r => r.RollupId == rollupId);
        Assert.Equal(RollupStatus.Rendering, rendering.Status);
        Assert.False(await Store.Reconciliation.ReannounceAsync(requested, DateTimeOffset.UtcNow.AddMinutes(2), [new OutboxEntry("Test.Reannounced", "{}")], Token));

        await Store.Rollups.CompleteWithReportsAsync(rollupId, [(ReportFormat.Html, "<p>报告</p>")], Token);
        Assert.DoesNotContain(await Store.Reconciliation.FindStalledRollupsAsync(DateTimeOffset.UtcNow.AddMinutes(3), 100_000, Token), r => r.RollupId == rollupId);
    }

    [Fact]
    public async Task A_failed_rollup_is_retried_from_the_step_that_failed_and_only_once()
    {
        var (period, district, _) = await Store.OpenDistrictAsync(1);
        var unbuilt = await Store.Rollups.CreateAsync(period.Id, district, Actor.Cli, id => StorageHarness.Announce("Test.RollupRequested", id), Token);
        var unrendered = await Store.Rollups.CreateAsync(period.Id, district, Actor.Cli, id => StorageHarness.Announce("Test.RollupRequested", id), Token);
        await Store.Rollups.FailAsync(unbuilt, "rollup_build_failed", "汇总计算失败", Token);
        await Store.Rollups.StoreSumsAsync(unrendered, [], [], [], [], Token);
        await Store.Rollups.FailAsync(unrendered, "report_render_failed", "汇总报告生成失败", Token);

        var rebuilt = await Store.Rollups.RetryFailedAsync(unbuilt, Actor.Cli, status => [new OutboxEntry("Test.Retried", status)], Token);
        var rerendered = await Store.Rollups.RetryFailedAsync(unrendered, Actor.Cli, status => [new OutboxEntry("Test.Retried", status)], Token);
        var again = await Store.Rollups.RetryFailedAsync(unbuilt, Actor.Cli, status => [new OutboxEntry("Test.Retried", status)], Token);
        var unknown = await Store.Rollups.RetryFailedAsync(Guid.NewGuid(), Actor.Cli, status => [new OutboxEntry("Test.Retried", status)], Token);

        Assert.Equal((RollupStatus.Requested, true), rebuilt);
        Assert.Equal((RollupStatus.Rendering, true), rerendered);
        Assert.Equal((RollupStatus.Requested, false), again);
        Assert.Null(unknown);
        var header = await Store.Rollups.GetAsync(unbuilt, Token);
        Assert.NotNull(header);
        Assert.Null(header.Error);
        Assert.Null(header.ErrorCode);
    }

    private async Task<int> PendingOutboxCountAsync(string messageType) =>
        (await Store.Outbox.GetPendingAsync(DateTimeOffset.UtcNow.AddMinutes(5), 1_000_000, Token)).Count(m => m.MessageType == messageType);
}

using System.Text.Json;
using Aggregator.Application.Reconciliation;
using Aggregator.Application.Results;
using Aggregator.Application.Rollups;
using Aggregator.Application.Submissions;
using Aggregator.Contracts;
using Aggregator.Pipeline.Tests.Support;
using Aggregator.Storage;
using Aggregator.Storage.Outbox;
using Aggregator.Storage.Rollups;

namespace Aggregator.Pipeline.Tests.Application;

/// <summary>The reconciler and the retry of failed rollups, called directly.</summary>
public sealed class ReconciliationTests
{
    private static readonly TimeSpan StalledAfter = TimeSpan.FromMinutes(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_submission_whose_message_was_lost_is_announced_again_once_it_has_waited_too_long()
    {
        var clock = new SettableClock(new DateTimeOffset(2025, 1, 10, 8, 0, 0, TimeSpan.Zero));
        await using var harness = await ApplicationHarness.SqliteAsync(clock);
        var period = await harness.OpenSmallDistrictAsync(departments: 1);
        var receipt = (await harness.Get<SubmissionIntake>().SubmitAsync(period.Id, TestDocuments.Valid("T-D01").Document, TestActors.Office, false, Ct)).Value.Receipt!;
        var outbox = harness.Get<IOutboxStore>();
        // Published, then lost: the consumer's message went to the error queue.
        await outbox.MarkPublishedAsync([.. (await outbox.GetPendingAsync(clock.GetUtcNow(), 100, Ct)).Select(m => m.Id)], clock.GetUtcNow(), Ct);
        var reconciler = harness.Get<StalledWorkReconciler>();

        clock.SetUtcNow(clock.GetUtcNow() + StalledAfter - TimeSpan.FromSeconds(1));
        var early = await reconciler.RunAsync(StalledAfter, 100, Ct);
        clock.SetUtcNow(clock.GetUtcNow() + TimeSpan.FromSeconds(2));
        var due = await reconciler.RunAsync(StalledAfter, 100, Ct);
        var repeated = await reconciler.RunAsync(StalledAfter, 100, Ct);

        Assert.Equal(new ReconciliationPass(0, 0, 0), early);
        Assert.Equal(new ReconciliationPass(1, 0, 0), due);
        Assert.Equal(new ReconciliationPass(0, 0, 0), repeated);
        var message = Assert.Single(await outbox.GetPendingAsync(clock.GetUtcNow(), 100, Ct));
        Assert.Equal(typeof(SubmissionReceived).FullName, message.MessageType);
        var announced = JsonSerializer.Deserialize<SubmissionReceived>(message.Payload, JsonSerializerOptions.Web)!;
        Assert.Equal((receipt.SubmissionId, 1), (announced.SubmissionId, announced.Version));
    }

    [Fact]
    public async Task A_failed_rollup_is_requested_again_by_a_retry_and_a_second_retry_is_refused()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var period = await harness.OpenSmallDistrictAsync(departments: 1);
        var rollupId = (await harness.Get<RollupRequests>().RequestAsync(period.Id, null, TestActors.Admin, Ct)).Value.RollupId;
        await harness.Get<RollupFaults>().RecordBuildFaultAsync(rollupId, "数据库不可用", Ct);
        var retries = harness.Get<RollupRetries>();

        var retried = await retries.RetryAsync(rollupId, TestActors.Admin, Ct);
        var again = await retries.RetryAsync(rollupId, TestActors.Admin, Ct);
        var unknown = await retries.RetryAsync(Guid.NewGuid(), TestActors.Admin, Ct);

        Assert.True(retried.IsSuccess);
        Assert.Equal(RollupStatus.Requested, retried.Value.Status);
        Assert.Equal(ProblemCodes.RollupNotFailed, again.Problem!.Code);
        Assert.Equal(ProblemCodes.NotFound, unknown.Problem!.Code);
        var header = await harness.Get<RollupRepository>().GetAsync(rollupId, Ct);
        Assert.Equal((RollupStatus.Requested, (string?)null), (header!.Status, header.ErrorCode));
    }
}

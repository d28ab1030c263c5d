using Aggregator.Application.Periods;
using Aggregator.Application.Reports;
using Aggregator.Application.Results;
using Aggregator.Application.Rollups;
using Aggregator.Application.Submissions;
using Aggregator.Pipeline.Tests.Support;
using Aggregator.Storage;
using Aggregator.Storage.Outbox;
using Aggregator.Storage.Validation;


namespace Aggregator.Pipeline.Tests.Application;

public sealed class QueryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Completeness_counts_units_by_the_status_of_their_latest_version()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var period = await harness.OpenSmallDistrictAsync(departments: 4);
        var intake = harness.Get<SubmissionIntake>();
        var accepted = (await intake.SubmitAsync(period.Id, TestDocuments.Valid("T-D01").Document, TestActors.Office, false, Ct)).Value.Receipt!;
        var rejected = (await intake.SubmitAsync(period.Id, TestDocuments.Valid("T-D02").Document, TestActors.Office, false, Ct)).Value.Receipt!;
        await intake.SubmitAsync(period.Id, TestDocuments.Valid("T-D03").Document, TestActors.Office, false, Ct);
        await harness.Get<ValidationResultRepository>().SaveResultAsync(accepted.SubmissionId, 1, "accepted", "[]", [], Ct);
        await harness.Get<ValidationResultRepository>().SaveResultAsync(rejected.SubmissionId, 1, "rejected", "[]", [], Ct);

        var view = (await harness.Get<CompletenessQuery>().GetAsync(period.Id, Ct))!;

        Assert.Equal((4, 3, 1, 1, 1), (view.Expected, view.Submitted, view.Accepted, view.Rejected, view.Missing));
        Assert.Equal(["accepted", "rejected", "received", "missing"], view.Units.Select(u => u.Status));
        Assert.Null(view.Units[3].Version);
    }

    [Fact]
    public async Task Completeness_marks_late_what_arrived_after_the_due_date_and_what_is_still_missing_after_it()
    {
        // Received at 2020-02-01 00:30 in China: half an hour after the due date ended.
        var clock = new SettableClock(new DateTimeOffset(2020, 1, 31, 16, 30, 0, TimeSpan.Zero));
        await using var harness = await ApplicationHarness.SqliteAsync(clock);
        var period = await harness.OpenSmallDistrictAsync(departments: 2, dueDate: new DateOnly(2020, 1, 31));
        await harness.Get<SubmissionIntake>().SubmitAsync(period.Id, TestDocuments.Valid("T-D01").Document, TestActors.Office, false, Ct);

        var afterDue = (await harness.Get<CompletenessQuery>().GetAsync(period.Id, Ct))!;
        clock.SetUtcNow(new DateTimeOffset(2020, 1, 20, 0, 0, 0, TimeSpan.Zero));
        var beforeDue = (await harness.Get<CompletenessQuery>().GetAsync(period.Id, Ct))!;

        Assert.Equal([true, true], afterDue.Units.Select(u => u.Late));
        Assert.Equal([true, false], beforeDue.Units.Select(u => u.Late));
    }

    [Fact]
    public async Task Submission_status_shows_the_stored_violations_of_the_version()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var period = await harness.OpenSmallDistrictAsync();
        var receipt = (await harness.Get<SubmissionIntake>().SubmitAsync(period.Id, TestDocuments.Valid("T-D01").Document, TestActors.Office, false, Ct)).Value.Receipt!;
        const string violations = """[{"rule":"S3-BALANCE","severity":"error","cells":{"s3.r1_new.total":5},"message":"不平衡"}]""";
        await harness.Get<ValidationResultRepository>().SaveResultAsync(receipt.SubmissionId, 1, "rejected", violations, [], Ct);

        var view = (await harness.Get<SubmissionStatusQuery>().GetAsync(receipt.SubmissionId, null, Ct))!;

        Assert.Equal(("rejected", "T-D01", 1), (view.Status, view.UnitCode, view.Version));
        var violation = Assert.Single(view.Violations);
        Assert.Equal(("S3-BALANCE", "error", 5m), (violation.Rule, violation.Severity, violation.Cells["s3.r1_new.total"]));
        Assert.Null(await harness.Get<SubmissionStatusQuery>().GetAsync(receipt.SubmissionId, 2, Ct));
    }

    [Fact]
    public async Task Requesting_a_rollup_stores_it_as_requested_with_its_message()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var period = await harness.OpenSmallDistrictAsync();

        var receipt = (await harness.Get<RollupRequests>().RequestAsync(period.Id, null, TestActors.Admin, Ct)).Value;

        Assert.Equal((RollupStatus.Requested, TestDocuments.District), (receipt.Status, receipt.UnitCode));
        Assert.Equal(1, harness.Signal.Count);
        var view = (await harness.Get<RollupQuery>().GetAsync(receipt.RollupId, Ct))!;
        Assert.Equal(RollupStatus.Requested, view.Status);
        var pending = await harness.Get<IOutboxStore>().GetPendingAsync(DateTimeOffset.UtcNow.AddMinutes(1), 10, Ct);
        Assert.Contains(pending, row => row.MessageType.EndsWith("RollupRequested", StringComparison.Ordinal) && row.Payload.Contains(receipt.RollupId.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refuses_a_rollup_of_an_unknown_period_or_of_a_unit_outside_its_tree()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var period = await harness.OpenSmallDistrictAsync();
        var requests = harness.Get<RollupRequests>();

        var unknownPeriod = await requests.RequestAsync(Guid.NewGuid(), null, TestActors.Admin, Ct);
        var outside = await requests.RequestAsync(period.Id, "ELSEWHERE", TestActors.Admin, Ct);
        var department = await requests.RequestAsync(period.Id, "T-D02", TestActors.Admin, Ct);

        Assert.Equal(ProblemCodes.PeriodNotFound, unknownPeriod.Problem?.Code);
        Assert.Equal(ProblemCodes.UnitNotExpected, outside.Problem?.Code);
        Assert.Equal("T-D02", department.Value.UnitCode);
    }

    [Fact]
    public async Task A_report_is_not_ready_until_rendered_and_not_found_for_an_unknown_rollup()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var period = await harness.OpenSmallDistrictAsync();
        var rollup = (await harness.Get<RollupRequests>().RequestAsync(period.Id, null, TestActors.Admin, Ct)).Value;
        var reports = harness.Get<ReportQuery>();

        Assert.Equal((ProblemCodes.ReportNotReady, 404), ((await reports.GetAsync(rollup.RollupId, "html", Ct)).Problem?.Code, 404));
        Assert.Equal(ProblemCodes.NotFound, (await reports.GetAsync(Guid.NewGuid(), "md", Ct)).Problem?.Code);
        Assert.Equal(ProblemCodes.InvalidRequest, (await reports.GetAsync(rollup.RollupId, "pdf", Ct)).Problem?.Code);
    }
}

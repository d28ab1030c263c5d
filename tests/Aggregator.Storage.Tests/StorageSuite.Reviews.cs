using Aggregator.Storage.Periods;
using Aggregator.Storage.Rollups;
using Aggregator.Testing.Databases;
using Aggregator.Storage.Reviews;
using Dapper;

namespace Aggregator.Storage.Tests;

/// <summary>The office's review of a version and the reopening of a closed period for one unit, on every database.</summary>
public abstract partial class StorageSuite
{
    private static readonly Actor Office = new("k-office", ApiKeyRole.Admin);

    [Fact]
    public async Task Completeness_counted_by_status_agrees_with_the_listed_units_latest_versions()
    {
        var (period, _, units) = await Store.OpenDistrictAsync(5);
        var accepted = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", StorageHarness.Cells(("s1.a", 1m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        await Store.Validation.SaveResultAsync(accepted.SubmissionId, accepted.Version, SubmissionStatus.Accepted, "[]", [], Token);
        var rejected = await Store.Submissions.AddVersionAsync(period.Id, units[1], "{}", StorageHarness.Cells(("s1.a", 1m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        await Store.Validation.SaveResultAsync(rejected.SubmissionId, rejected.Version, SubmissionStatus.Rejected, "[]", [], Token);
        // Accepted first, then a second version still waiting: only the latest counts.
        var waiting = await Store.Submissions.AddVersionAsync(period.Id, units[2], "{}", StorageHarness.Cells(("s1.a", 1m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        await Store.Validation.SaveResultAsync(waiting.SubmissionId, waiting.Version, SubmissionStatus.Accepted, "[]", [], Token);
        await Store.Submissions.AddVersionAsync(period.Id, units[2], "{}", StorageHarness.Cells(("s1.a", 2m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);

        var counts = await Store.Periods.CountByStatusAsync(period.Id, Token);
        var listed = (await Store.Periods.CompletenessAsync(period.Id, Token))
            .GroupBy(row => row.Status ?? "missing").ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);

        Assert.Equal(
            new Dictionary<string, int>(StringComparer.Ordinal)
            {
                [SubmissionStatus.Accepted] = 1, [SubmissionStatus.Rejected] = 1, [SubmissionStatus.Received] = 1, ["missing"] = 2,
            },
            counts);
        Assert.Equal(listed, counts);
        Assert.Empty(await Store.Periods.CountByStatusAsync(Guid.NewGuid(), Token));
    }

    [Fact]
    public async Task A_returned_version_keeps_its_reason_and_is_never_summed_while_an_older_accepted_one_is()
    {
        var (period, district, units) = await Store.OpenDistrictAsync(1);
        var first = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", StorageHarness.Cells(("s1.a", 1m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        await Store.Validation.SaveResultAsync(first.SubmissionId, first.Version, SubmissionStatus.Accepted, "[]", [], Token);
        var second = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", StorageHarness.Cells(("s1.a", 2m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        await Store.Validation.SaveResultAsync(second.SubmissionId, second.Version, SubmissionStatus.AcceptedWithWarnings, "[]", [], Token);

        var returned = await Store.Reviews.ReturnAsync(second.SubmissionId, second.Version, "请核对表三合计。", Office, Token);

        Assert.True(returned);
        Assert.Equal(SubmissionStatus.Returned, (await Store.Submissions.GetAsync(second.SubmissionId, second.Version, Token))!.Status);
        var review = Assert.Single(await Store.Reviews.ListAsync(second.SubmissionId, Token));
        Assert.Equal((2, ReviewDecision.Returned, "请核对表三合计。", "k-office"), (review.Version, review.Decision, review.Note, review.DecidedBy));
        var unit = Assert.Single((await Store.Rollups.LoadUnitsAsync(period.Id, district, Token)).Units);
        Assert.Equal((1, 2, SubmissionStatus.Returned), (unit.AcceptedVersion, unit.LatestVersion, unit.LatestStatus));
        var row = Assert.Single(await Store.Periods.CompletenessAsync(period.Id, Token));
        Assert.Equal((SubmissionStatus.Returned, "请核对表三合计。"), (row.Status, row.ReturnReason));
        var audit = await Store.Audit.ListAsync(0, 50, "submission", second.SubmissionId.ToString(), Token);
        Assert.Contains(audit.Items, a => a.Action == "submission.returned" && a.Actor == "k-office" && System.Text.Json.JsonDocument.Parse(a.Details!).RootElement.GetProperty("reason").GetString() == "请核对表三合计。");
    }

    [Fact]
    public async Task Only_the_latest_validated_version_is_returned_and_only_once()
    {
        var (period, _, units) = await Store.OpenDistrictAsync(1);
        var first = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", StorageHarness.Cells(("s1.a", 1m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        Assert.False(await Store.Reviews.ReturnAsync(first.SubmissionId, first.Version, "尚未校验", Office, Token));
        await Store.Validation.SaveResultAsync(first.SubmissionId, first.Version, SubmissionStatus.Rejected, "[]", [], Token);
        var second = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", StorageHarness.Cells(("s1.a", 2m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        await Store.Validation.SaveResultAsync(second.SubmissionId, second.Version, SubmissionStatus.Rejected, "[]", [], Token);

        Assert.False(await Store.Reviews.ReturnAsync(first.SubmissionId, first.Version, "已有新版本", Office, Token));
        Assert.True(await Store.Reviews.ReturnAsync(second.SubmissionId, second.Version, "第一次", Office, Token));
        Assert.False(await Store.Reviews.ReturnAsync(second.SubmissionId, second.Version, "第二次", Office, Token));

        Assert.Equal(SubmissionStatus.Rejected, (await Store.Submissions.GetAsync(first.SubmissionId, first.Version, Token))!.Status);
        Assert.Equal("第一次", Assert.Single(await Store.Reviews.ListAsync(second.SubmissionId, Token)).Note);
    }

    [Fact]
    public async Task An_acceptance_is_stored_once_and_only_for_a_latest_version_with_warnings()
    {
        var (period, _, units) = await Store.OpenDistrictAsync(2);
        var clean = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", StorageHarness.Cells(("s1.a", 1m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        await Store.Validation.SaveResultAsync(clean.SubmissionId, clean.Version, SubmissionStatus.Accepted, "[]", [], Token);
        var warned = await Store.Submissions.AddVersionAsync(period.Id, units[1], "{}", StorageHarness.Cells(("s1.a", 1m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        await Store.Validation.SaveResultAsync(warned.SubmissionId, warned.Version, SubmissionStatus.AcceptedWithWarnings, "[]", [], Token);

        Assert.False(await Store.Reviews.AcceptAsync(clean.SubmissionId, clean.Version, "没有警告", Office, Token));
        Assert.True(await Store.Reviews.AcceptAsync(warned.SubmissionId, warned.Version, "金额已电话核实。", Office, Token));
        Assert.False(await Store.Reviews.AcceptAsync(warned.SubmissionId, warned.Version, "再次接受", Office, Token));

        Assert.Empty(await Store.Reviews.ListAsync(clean.SubmissionId, Token));
        var review = Assert.Single(await Store.Reviews.ListAsync(warned.SubmissionId, Token));
        Assert.Equal((ReviewDecision.Accepted, "金额已电话核实。"), (review.Decision, review.Note));
        Assert.Equal(SubmissionStatus.AcceptedWithWarnings, (await Store.Submissions.GetAsync(warned.SubmissionId, Token))!.Status);
        var row = Assert.Single(await Store.Periods.CompletenessAsync(period.Id, Token), r => r.UnitCode == units[1]);
        Assert.Equal("金额已电话核实。", row.AcceptanceNote);
        Assert.NotNull(row.AcceptedAt);
    }

    [Fact]
    public async Task A_closed_period_is_reopened_for_one_expected_unit_until_it_is_closed_again()
    {
        var (period, _, units) = await Store.OpenDistrictAsync(2);
        Assert.False(await Store.Periods.ReopenForUnitAsync(period.Id, units[0], Office, Token));
        await Store.Periods.SetStatusAsync(period.Id, PeriodStatus.Closed, Office, Token);

        Assert.True(await Store.Periods.ReopenForUnitAsync(period.Id, units[0], Office, Token));
        Assert.False(await Store.Periods.ReopenForUnitAsync(period.Id, units[0], Office, Token));
        Assert.False(await Store.Periods.ReopenForUnitAsync(period.Id, StorageHarness.NewCode("n"), Office, Token));

        var reopening = await Store.Periods.GetReopeningAsync(period.Id, units[0], Token);
        Assert.Equal("k-office", reopening?.ReopenedBy);
        Assert.Null(await Store.Periods.GetReopeningAsync(period.Id, units[1], Token));
        var rows = await Store.Periods.CompletenessAsync(period.Id, Token);
        Assert.Equal([units[0]], rows.Where(r => r.ReopenedAt is not null).Select(r => r.UnitCode));

        Assert.True(await Store.Periods.CloseForUnitAsync(period.Id, units[0], Office, Token));
        Assert.False(await Store.Periods.CloseForUnitAsync(period.Id, units[0], Office, Token));
        Assert.Null(await Store.Periods.GetReopeningAsync(period.Id, units[0], Token));
        var audit = await Store.Audit.ListAsync(0, 50, "period", period.Id.ToString(), Token);
        Assert.Equal(1, audit.Items.Count(a => a.Action == "period.unit_reopened"));
        Assert.Equal(1, audit.Items.Count(a => a.Action == "period.unit_closed"));
    }

    [Fact]
    public async Task Closing_a_period_again_ends_every_reopening_for_single_units()
    {
        var (period, _, units) = await Store.OpenDistrictAsync(1);
        await Store.Periods.SetStatusAsync(period.Id, PeriodStatus.Closed, Office, Token);
        await Store.Periods.ReopenForUnitAsync(period.Id, units[0], Office, Token);
        await Store.Periods.SetStatusAsync(period.Id, PeriodStatus.Open, Office, Token);

        await Store.Periods.SetStatusAsync(period.Id, PeriodStatus.Closed, Office, Token);

        Assert.Null(await Store.Periods.GetReopeningAsync(period.Id, units[0], Token));
    }

    [Fact]
    public async Task A_database_at_0007_keeps_its_versions_and_their_references_when_migrated_to_0008()
    {
        await using var database = (await TestDatabases.TryCreateAsync(fixture.Provider)).Require();
        await database.CreateMigrator().MigrateAsync("0007_report_texts.sql", Token);
        var store = new StorageHarness(database);
        var (period, district, units) = await OpenDistrictBefore0010Async(store, database);
        var stored = await store.Submissions.AddVersionAsync(period.Id, units[0], "{\"year\":2024}", StorageHarness.Cells(("s1.a", 3m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        await store.Validation.SaveResultAsync(stored.SubmissionId, stored.Version, SubmissionStatus.Rejected, "[]", [], Token);
        var rollupId = await store.Rollups.CreateAsync(period.Id, district, Actor.Cli, id => StorageHarness.Announce("Test.RollupRequested", id), Token);
        // Summed as the 0007 schema holds a rollup: today's repository also stores the split by children (0014).
        await using (var connection = await database.Connections.OpenAsync(Token))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE rollups SET status = 'rendering', computed_at = @At WHERE id = @RollupId;
                INSERT INTO rollup_values (rollup_id, cell_id, value) VALUES (@RollupId, 's1.a', 3);
                INSERT INTO rollup_inputs (rollup_id, unit_code, submission_id, version) VALUES (@RollupId, @Unit, @SubmissionId, @Version);
                """,
                new { RollupId = rollupId, At = DateTimeOffset.UtcNow, Unit = units[0], stored.SubmissionId, stored.Version },
                cancellationToken: Token));
        }

        var upgrade = await database.CreateMigrator().MigrateAsync(Token);

        Assert.Contains(upgrade.AppliedScripts, script => script.EndsWith(".0008_submission_reviews.sql", StringComparison.Ordinal));
        var version = await store.Submissions.GetAsync(stored.SubmissionId, stored.Version, Token);
        Assert.Equal((SubmissionStatus.Rejected, "{\"year\":2024}", SubmissionStatus.Rejected), (version!.Status, version.Document, version.Outcome));
        Assert.Equal(3m, Assert.Single(await store.Submissions.GetCellsAsync(stored.SubmissionId, stored.Version, Token)).Value);
        Assert.Equal(stored.Version, Assert.Single((await store.Rollups.GetAsync(rollupId, Token))!.Inputs).Version);
        Assert.True(await store.Reviews.ReturnAsync(stored.SubmissionId, stored.Version, "迁移后可以退回", Office, Token));
    }
}

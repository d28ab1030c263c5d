using System.Globalization;
using System.Text.Json;
using Aggregator.Storage.ApiKeys;
using Aggregator.Storage.Idempotency;
using Aggregator.Storage.Periods;
using Aggregator.Storage.Rollups;
using Aggregator.Storage.Submissions;
using Aggregator.Storage.Units;
using Aggregator.Testing.Databases;

namespace Aggregator.Storage.Tests;

/// <summary>The repository contract, run against each database by the classes in DatabaseFixtures.cs.</summary>
public abstract partial class StorageSuite(DatabaseFixture fixture)
{
    private StorageHarness? _harness;

    protected StorageHarness Store => _harness ??= new StorageHarness(fixture.Database);

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Units_written_children_first_are_stored_with_their_parents()
    {
        var city = StorageHarness.NewCode("c");
        var district = StorageHarness.NewCode("d");
        var street = StorageHarness.NewCode("s");
        await Store.Units.UpsertManyAsync(
            [
                new UnitRegistration(street, "东屏街道", OrgUnitKind.Street, district),
                new UnitRegistration(district, "洞头区", OrgUnitKind.District, city),
                new UnitRegistration(city, "温州市", OrgUnitKind.City, null),
            ],
            Actor.Cli,
            Token);

        var stored = await Store.Units.GetAsync(street, Token);

        Assert.NotNull(stored);
        Assert.Equal("东屏街道", stored.Name);
        Assert.Equal(OrgUnitKind.Street, stored.Kind);
        Assert.Equal(district, stored.ParentCode);
        Assert.True(stored.UpdatedAt > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task Upserting_a_unit_again_updates_it_in_place()
    {
        var code = StorageHarness.NewCode("u");
        await Store.Units.UpsertManyAsync([new UnitRegistration(code, "旧名称", OrgUnitKind.Department, null)], Actor.Cli, Token);
        await Store.Units.UpsertManyAsync([new UnitRegistration(code, "新名称", OrgUnitKind.Township, null)], Actor.Cli, Token);

        var all = await Store.Units.ListAsync(Token);

        var unit = Assert.Single(all, unit => unit.Code == code);
        Assert.Equal("新名称", unit.Name);
        Assert.Equal(OrgUnitKind.Township, unit.Kind);
    }

    [Fact]
    public async Task Descendants_cover_every_depth_but_not_the_unit_itself()
    {
        var city = StorageHarness.NewCode("c");
        var district = StorageHarness.NewCode("d");
        var department = StorageHarness.NewCode("u");
        var township = StorageHarness.NewCode("t");
        var other = StorageHarness.NewCode("x");
        await Store.Units.UpsertManyAsync(
            [
                new UnitRegistration(city, "市", OrgUnitKind.City, null),
                new UnitRegistration(district, "区", OrgUnitKind.District, city),
                new UnitRegistration(department, "局", OrgUnitKind.Department, district),
                new UnitRegistration(township, "镇", OrgUnitKind.Township, district),
                new UnitRegistration(other, "无关", OrgUnitKind.Other, null),
            ],
            Actor.Cli,
            Token);

        var descendants = await Store.Units.GetDescendantsAsync(city, Token);

        Assert.Equal(new[] { district, department, township }.Order(StringComparer.Ordinal), descendants.Select(unit => unit.Code).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_batch_that_would_make_a_unit_its_own_ancestor_is_refused_and_changes_nothing()
    {
        var a = StorageHarness.NewCode("a");
        var b = StorageHarness.NewCode("b");
        await Store.Units.UpsertManyAsync([new UnitRegistration(a, "甲", OrgUnitKind.District, null), new UnitRegistration(b, "乙", OrgUnitKind.Department, a)], Actor.Cli, Token);

        await Assert.ThrowsAsync<ArgumentException>(() =>
            Store.Units.UpsertManyAsync([new UnitRegistration(a, "甲改", OrgUnitKind.District, b)], Actor.Cli, Token));

        var unchanged = await Store.Units.GetAsync(a, Token);
        Assert.Null(unchanged!.ParentCode);
        Assert.Equal("甲", unchanged.Name);
    }

    [Fact]
    public async Task Opening_a_period_snapshots_the_descendants_as_expected_units()
    {
        var (period, district, departments) = await Store.OpenDistrictAsync(3);
        var late = StorageHarness.NewCode("late");
        await Store.Units.UpsertManyAsync([new UnitRegistration(late, "后来的部门", OrgUnitKind.Department, district)], Actor.Cli, Token);

        var expected = await Store.Periods.GetExpectedUnitsAsync(period.Id, Token);
        var stored = await Store.Periods.GetAsync(period.Id, Token);

        Assert.Equal(departments.Order(StringComparer.Ordinal), expected.Select(unit => unit.Code).Order(StringComparer.Ordinal));
        Assert.NotNull(stored);
        Assert.Equal(3, stored.ExpectedUnitCount);
        Assert.Equal(PeriodStatus.Open, stored.Status);
        Assert.Equal(new DateOnly(2025, 1, 31), stored.DueDate);
        Assert.Equal(period.CreatedAt, stored.CreatedAt);
    }

    [Fact]
    public async Task A_second_period_for_the_same_root_and_year_is_refused()
    {
        var (period, district, _) = await Store.OpenDistrictAsync(1);

        await Assert.ThrowsAsync<DuplicateRecordException>(() =>
            Store.Periods.CreateAsync(new NewPeriod(period.Year, "fmt_2021", district, new DateOnly(2025, 2, 1)), Actor.Cli, Token));
        Assert.Equal(period.Id, (await Store.Periods.FindAsync(period.Year, district, Token))?.Id);
    }

    [Fact]
    public async Task Closing_a_period_twice_reports_no_change_the_second_time()
    {
        var (period, _, _) = await Store.OpenDistrictAsync(1);

        Assert.True(await Store.Periods.SetStatusAsync(period.Id, PeriodStatus.Closed, Actor.Cli, Token));
        Assert.False(await Store.Periods.SetStatusAsync(period.Id, PeriodStatus.Closed, Actor.Cli, Token));
        Assert.Equal(PeriodStatus.Closed, (await Store.Periods.GetAsync(period.Id, Token))!.Status);
    }

    [Fact]
    public async Task A_resubmission_becomes_the_latest_version_and_the_first_is_kept_whole()
    {
        var (period, _, units) = await Store.OpenDistrictAsync(1);
        var v1 = await Store.Submissions.AddVersionAsync(period.Id, units[0], """{"v":1}""",
            StorageHarness.Cells(("s3.a", 1m), ("s3.b", 2m)), new Actor("key-1", ApiKeyRole.Unit), StorageHarness.AnnounceVersion, Token);
        var v2 = await Store.Submissions.AddVersionAsync(period.Id, units[0], """{"v":2}""",
            StorageHarness.Cells(("s3.a", 10m)), new Actor("key-1", ApiKeyRole.Unit), StorageHarness.AnnounceVersion, Token);

        var latest = await Store.Submissions.GetAsync(v1.SubmissionId, Token);
        var first = await Store.Submissions.GetAsync(v1.SubmissionId, 1, Token);

        Assert.Equal(v1.SubmissionId, v2.SubmissionId);
        Assert.Equal((1, 2), (v1.Version, v2.Version));
        Assert.NotNull(latest);
        Assert.Equal((2, 2, """{"v":2}"""), (latest.Version, latest.LatestVersion, latest.Document));
        Assert.Equal(SubmissionStatus.Received, latest.Status);
        Assert.Equal("key-1", latest.SubmittedBy);
        Assert.NotNull(first);
        Assert.Equal("""{"v":1}""", first.Document);
        Assert.Equal([new CellValue("s3.a", 10m, "10", 0)], await Store.Submissions.GetCellsAsync(v1.SubmissionId, 2, Token));
        Assert.Equal(2, (await Store.Submissions.GetCellsAsync(v1.SubmissionId, 1, Token)).Count);
        Assert.Equal([1, 2], (await Store.Submissions.ListVersionsAsync(v1.SubmissionId, Token)).Select(version => version.Version));
        Assert.Equal(2, (await Store.Submissions.FindAsync(period.Id, units[0], Token))?.LatestVersion);
    }

    [Fact]
    public async Task Storing_a_version_adds_the_messages_it_is_given_for_that_version_and_an_audit_row()
    {
        var (period, _, units) = await Store.OpenDistrictAsync(1);

        var stored = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", StorageHarness.Cells(("x", 1m)), new Actor("key-7", ApiKeyRole.Unit), StorageHarness.AnnounceVersion, Token);

        var message = await FindPendingAsync(StorageHarness.VersionStored, stored.SubmissionId);
        using var payload = JsonDocument.Parse(message.Payload);
        Assert.Equal(stored.Version, payload.RootElement.GetProperty("version").GetInt32());
        var audit = await Store.Audit.ListAsync(0, 10, "submission", stored.SubmissionId.ToString(), Token);
        var row = Assert.Single(audit.Items);
        Assert.Equal(("key-7", ApiKeyRole.Unit, "submission.received"), (row.Actor, row.ActorRole, row.Action));
    }

    [Fact]
    public async Task A_submission_for_a_unit_the_period_does_not_expect_is_refused()
    {
        var (period, _, _) = await Store.OpenDistrictAsync(1);
        var stranger = StorageHarness.NewCode("z");
        await Store.Units.UpsertManyAsync([new UnitRegistration(stranger, "外单位", OrgUnitKind.Other, null)], Actor.Cli, Token);

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() =>
            Store.Submissions.AddVersionAsync(period.Id, stranger, "{}", StorageHarness.Cells(("x", 1m)), Actor.Cli, StorageHarness.AnnounceVersion, Token));
        Assert.Null(await Store.Submissions.FindAsync(period.Id, stranger, Token));
    }

    [Fact]
    public async Task Saving_a_validation_result_sets_the_status_and_keeps_the_violations()
    {
        var (period, _, units) = await Store.OpenDistrictAsync(1);
        var stored = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", StorageHarness.Cells(("x", 1m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        const string violations = """[{"rule":"S3-BALANCE","message":"本年新收 16 + 上年结转 1 ≠ 17"}]""";

        Assert.True(await Store.Validation.SaveResultAsync(stored.SubmissionId, stored.Version, SubmissionStatus.Rejected, violations, StorageHarness.Announce("Test.SubmissionValidated", stored.SubmissionId), Token));

        var version = await Store.Submissions.GetAsync(stored.SubmissionId, Token);
        Assert.NotNull(version);
        Assert.Equal((SubmissionStatus.Rejected, SubmissionStatus.Rejected), (version.Status, version.Outcome));
        Assert.Equal(violations, version.ViolationsJson);
        Assert.NotNull(version.ValidatedAt);
        await FindPendingAsync("Test.SubmissionValidated", stored.SubmissionId);
    }

    [Fact]
    public async Task Saving_a_second_validation_result_for_one_version_changes_nothing()
    {
        var (period, _, units) = await Store.OpenDistrictAsync(1);
        var stored = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", StorageHarness.Cells(("x", 1m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        Assert.True(await Store.Validation.SaveResultAsync(stored.SubmissionId, stored.Version, SubmissionStatus.Accepted, "[]", StorageHarness.Announce("Test.SubmissionValidated", stored.SubmissionId), Token));
        var before = await Store.Submissions.GetAsync(stored.SubmissionId, Token);

        var second = await Store.Validation.SaveResultAsync(stored.SubmissionId, stored.Version, SubmissionStatus.Rejected, """[{"rule":"x"}]""", StorageHarness.Announce("Test.SubmissionValidated", stored.SubmissionId), Token);

        var after = await Store.Submissions.GetAsync(stored.SubmissionId, Token);
        Assert.False(second);
        Assert.Equal(before, after);
        Assert.Single(await PendingAsync("Test.SubmissionValidated", stored.SubmissionId));
    }

    [Fact]
    public async Task Parallel_submissions_for_one_unit_get_distinct_consecutive_versions()
    {
        var (period, _, units) = await Store.OpenDistrictAsync(1);
        const int writers = 8;

        var stored = await Task.WhenAll(Enumerable.Range(1, writers).Select(i => Task.Run(() =>
            Store.Submissions.AddVersionAsync(period.Id, units[0], $$"""{"writer":{{i}}}""", StorageHarness.Cells(("x", i)), Actor.Cli, StorageHarness.AnnounceVersion, Token), Token)));

        Assert.Single(stored.Select(version => version.SubmissionId).Distinct());
        Assert.Equal(Enumerable.Range(1, writers), stored.Select(version => version.Version).Order());
        var history = await Store.Submissions.ListVersionsAsync(stored[0].SubmissionId, Token);
        Assert.Equal(Enumerable.Range(1, writers), history.Select(version => version.Version));
        foreach (var version in stored)
        {
            var cells = await Store.Submissions.GetCellsAsync(version.SubmissionId, version.Version, Token);
            var document = (await Store.Submissions.GetAsync(version.SubmissionId, version.Version, Token))!.Document;
            Assert.Equal($$"""{"writer":{{cells.Single().Value}}}""", document);
        }
    }

    [Fact]
    public async Task Parallel_submissions_for_different_units_are_all_stored()
    {
        var (period, _, units) = await Store.OpenDistrictAsync(8);

        var stored = await Task.WhenAll(units.Select(unit => Task.Run(() =>
            Store.Submissions.AddVersionAsync(period.Id, unit, "{}", StorageHarness.Cells(("x", 1m)), Actor.Cli, StorageHarness.AnnounceVersion, Token), Token)));

        Assert.Equal(units.Count, stored.Select(version => version.SubmissionId).Distinct().Count());
        Assert.All(stored, version => Assert.Equal(1, version.Version));
        var completeness = await Store.Periods.CompletenessAsync(period.Id, Token);
        Assert.All(completeness, unit => Assert.Equal(SubmissionStatus.Received, unit.Status));
    }

    [Fact]
    public async Task Thousands_of_cells_round_trip_exactly()
    {
        var (period, _, units) = await Store.OpenDistrictAsync(1);
        var random = new Random(20240131);
        var cells = Enumerable.Range(0, 5000).Select(i => new CellValue(
            $"s{i % 7}.r{i:D5}.c{i % 5}",
            (i % 11) switch
            {
                0 => null,
                1 => 999_999_999_999_999.999999m,
                2 => -0.000001m,
                _ => Math.Round((decimal)random.NextDouble() * 1_000_000m - 500_000m, i % 7),
            },
            (i % 4) switch
            {
                0 => null,
                1 => "244.19万元",
                2 => "\u3000 25.1\u00a0",
                _ => $"原文 {i}",
            },
            i % 3)).ToList();

        var stored = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", cells, Actor.Cli, StorageHarness.AnnounceVersion, Token);
        var read = await Store.Submissions.GetCellsAsync(stored.SubmissionId, stored.Version, Token);

        Assert.Equal(cells.OrderBy(cell => cell.CellId, StringComparer.Ordinal), read.OrderBy(cell => cell.CellId, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Decimals_up_to_six_places_are_stored_unrounded_and_more_are_refused_on_every_database()
    {
        var (period, _, units) = await Store.OpenDistrictAsync(1);

        var stored = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}",
            [new CellValue("a", 1.234555m, null), new CellValue("b", -2.000005m, null), new CellValue("c", 3.100000m, null)], Actor.Cli, StorageHarness.AnnounceVersion, Token);
        var read = await Store.Submissions.GetCellsAsync(stored.SubmissionId, stored.Version, Token);

        Assert.Equal([1.234555m, -2.000005m, 3.1m], read.Select(cell => cell.Value!.Value));
        Assert.Equal("3.1", read[2].Value!.Value.ToString(CultureInfo.InvariantCulture));
        var refused = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.Submissions.AddVersionAsync(
            period.Id, units[0], "{}", [new CellValue("a", 1.2345555m, null)], Actor.Cli, StorageHarness.AnnounceVersion, Token));
        Assert.Contains("'a'", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await Store.Periods.CompletenessAsync(period.Id, Token)).Single().LatestVersion);
    }

    [Fact]
    public async Task Completeness_lists_every_expected_unit_with_its_latest_version()
    {
        var (period, _, units) = await Store.OpenDistrictAsync(3);
        var first = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", StorageHarness.Cells(("x", 1m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        await Store.Validation.SaveResultAsync(first.SubmissionId, 1, SubmissionStatus.Accepted, "[]", StorageHarness.Announce("Test.SubmissionValidated", first.SubmissionId), Token);
        await Store.Submissions.AddVersionAsync(period.Id, units[1], "{}", StorageHarness.Cells(("x", 1m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        await Store.Submissions.AddVersionAsync(period.Id, units[1], "{}", StorageHarness.Cells(("x", 2m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);

        var completeness = (await Store.Periods.CompletenessAsync(period.Id, Token)).ToDictionary(unit => unit.UnitCode);

        Assert.Equal(3, completeness.Count);
        Assert.Equal((1, SubmissionStatus.Accepted), (completeness[units[0]].LatestVersion, completeness[units[0]].Status));
        Assert.Equal((2, SubmissionStatus.Received), (completeness[units[1]].LatestVersion, completeness[units[1]].Status));
        Assert.NotNull(completeness[units[1]].ReceivedAt);
        Assert.Equal((null, null), (completeness[units[2]].LatestVersion, completeness[units[2]].Status));
        Assert.Equal("部门1", completeness[units[0]].Name);
    }

    [Fact]
    public async Task Rollup_inputs_hold_each_units_latest_accepted_cells_and_every_units_state()
    {
        var (period, district, units) = await Store.OpenDistrictAsync(4);
        // unit 0: v1 accepted, v2 rejected → v1's cells. unit 1: accepted with warnings. unit 2: pending. unit 3: nothing.
        var a1 = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", StorageHarness.Cells(("x", 1m), ("y", 2m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        await Store.Validation.SaveResultAsync(a1.SubmissionId, 1, SubmissionStatus.Accepted, "[]", StorageHarness.Announce("Test.SubmissionValidated", a1.SubmissionId), Token);
        await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", StorageHarness.Cells(("x", 100m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        await Store.Validation.SaveResultAsync(a1.SubmissionId, 2, SubmissionStatus.Rejected, "[]", StorageHarness.Announce("Test.SubmissionValidated", a1.SubmissionId), Token);
        var b1 = await Store.Submissions.AddVersionAsync(period.Id, units[1], "{}", StorageHarness.Cells(("x", 10m), ("y", null)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        await Store.Validation.SaveResultAsync(b1.SubmissionId, 1, SubmissionStatus.AcceptedWithWarnings, "[]", StorageHarness.Announce("Test.SubmissionValidated", b1.SubmissionId), Token);
        await Store.Submissions.AddVersionAsync(period.Id, units[2], "{}", StorageHarness.Cells(("x", 1000m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);

        var source = await Store.Rollups.LoadInputsAsync(period.Id, district, Token);

        var byUnit = source.Units.ToDictionary(unit => unit.UnitCode);
        Assert.Equal(4, byUnit.Count);
        Assert.Equal((2, SubmissionStatus.Rejected, 1), (byUnit[units[0]].LatestVersion, byUnit[units[0]].LatestStatus, byUnit[units[0]].AcceptedVersion));
        Assert.Equal([1m, 2m], byUnit[units[0]].AcceptedCells.OrderBy(cell => cell.CellId, StringComparer.Ordinal).Select(cell => cell.Value));
        Assert.Equal((1, SubmissionStatus.AcceptedWithWarnings, 1), (byUnit[units[1]].LatestVersion, byUnit[units[1]].LatestStatus, byUnit[units[1]].AcceptedVersion));
        Assert.Contains(new CellValue("y", null, null, 0), byUnit[units[1]].AcceptedCells);
        Assert.Equal((1, SubmissionStatus.Received, (int?)null), (byUnit[units[2]].LatestVersion, byUnit[units[2]].LatestStatus, byUnit[units[2]].AcceptedVersion));
        Assert.Empty(byUnit[units[2]].AcceptedCells);
        Assert.Equal((null, null), (byUnit[units[3]].SubmissionId, byUnit[units[3]].LatestStatus));
    }

    [Fact]
    public async Task Rollup_inputs_of_a_subtree_leave_out_units_outside_it()
    {
        var city = StorageHarness.NewCode("c");
        var north = StorageHarness.NewCode("n");
        var south = StorageHarness.NewCode("s");
        var northUnit = StorageHarness.NewCode("nu");
        var southUnit = StorageHarness.NewCode("su");
        await Store.Units.UpsertManyAsync(
            [
                new UnitRegistration(city, "市", OrgUnitKind.City, null),
                new UnitRegistration(north, "北区", OrgUnitKind.District, city),
                new UnitRegistration(south, "南区", OrgUnitKind.District, city),
                new UnitRegistration(northUnit, "北区某局", OrgUnitKind.Department, north),
                new UnitRegistration(southUnit, "南区某局", OrgUnitKind.Department, south),
            ],
            Actor.Cli,
            Token);
        var period = await Store.Periods.CreateAsync(new NewPeriod(2023, "fmt_2021", city, new DateOnly(2024, 1, 31)), Actor.Cli, Token);

        var northSource = await Store.Rollups.LoadInputsAsync(period.Id, north, Token);
        var citySource = await Store.Rollups.LoadInputsAsync(period.Id, city, Token);

        Assert.Equal(new[] { north, northUnit }.Order(StringComparer.Ordinal), northSource.Units.Select(unit => unit.UnitCode).Order(StringComparer.Ordinal));
        Assert.Equal(4, citySource.Units.Count);
        Assert.Equal(north, northSource.Units.Single(unit => unit.UnitCode == northUnit).ParentCode);
    }

    [Fact]
    public async Task Storing_a_rollups_sums_keeps_values_inputs_and_exclusions_and_leaves_it_rendering()
    {
        var (period, district, units) = await Store.OpenDistrictAsync(2);
        var submitted = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", StorageHarness.Cells(("x", 1m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        var rollupId = await Store.Rollups.CreateAsync(period.Id, district, Actor.Cli, id => StorageHarness.Announce("Test.RollupRequested", id), Token);

        var completed = await Store.Rollups.StoreSumsAsync(
            rollupId,
            [new RollupValue("x", 1.5m), new RollupValue("y", null)],
            [new RollupInput(units[0], submitted.SubmissionId, submitted.Version)],
            [new RollupExclusion(units[1], ExclusionReason.Missing, null)],
            StorageHarness.Announce("Test.RollupCompleted", rollupId),
            Token);

        var rollup = await Store.Rollups.GetAsync(rollupId, Token);
        Assert.True(completed);
        Assert.NotNull(rollup);
        Assert.Equal(RollupStatus.Rendering, rollup.Status);
        Assert.NotNull(rollup.ComputedAt);
        Assert.Null(rollup.CompletedAt);
        Assert.Equal([new RollupValue("x", 1.5m), new RollupValue("y", null)], rollup.Values);
        Assert.Equal([new RollupInput(units[0], submitted.SubmissionId, 1)], rollup.Inputs);
        Assert.Equal([new RollupExclusion(units[1], ExclusionReason.Missing, null)], rollup.Exclusions);
        await FindPendingAsync("Test.RollupRequested", rollupId);
        await FindPendingAsync("Test.RollupCompleted", rollupId);
    }

    [Fact]
    public async Task Storing_a_rollups_sums_a_second_time_changes_nothing()
    {
        var (period, district, _) = await Store.OpenDistrictAsync(1);
        var rollupId = await Store.Rollups.CreateAsync(period.Id, district, Actor.Cli, id => StorageHarness.Announce("Test.RollupRequested", id), Token);
        Assert.True(await Store.Rollups.StoreSumsAsync(rollupId, [new RollupValue("x", 1m)], [], [], StorageHarness.Announce("Test.RollupCompleted", rollupId), Token));
        var before = await Store.Rollups.GetAsync(rollupId, Token);

        var second = await Store.Rollups.StoreSumsAsync(rollupId, [new RollupValue("x", 2m), new RollupValue("z", 3m)], [], [], StorageHarness.Announce("Test.RollupCompleted", rollupId), Token);

        var after = await Store.Rollups.GetAsync(rollupId, Token);
        Assert.False(second);
        Assert.Equal(before!.ComputedAt, after!.ComputedAt);
        Assert.Equal(before.Values, after.Values);
        Assert.Single(await PendingAsync("Test.RollupCompleted", rollupId));
    }

    [Fact]
    public async Task A_failed_rollup_keeps_its_error_and_cannot_fail_twice()
    {
        var (period, district, _) = await Store.OpenDistrictAsync(1);
        var rollupId = await Store.Rollups.CreateAsync(period.Id, district, Actor.Cli, id => StorageHarness.Announce("Test.RollupRequested", id), Token);

        Assert.True(await Store.Rollups.FailAsync(rollupId, "rollup_sum_overflow", "汇总结果不平衡", Token));
        Assert.False(await Store.Rollups.FailAsync(rollupId, "other", "second", Token));

        var rollup = await Store.Rollups.GetAsync(rollupId, Token);
        Assert.Equal((RollupStatus.Failed, "rollup_sum_overflow", "汇总结果不平衡"), (rollup!.Status, rollup.ErrorCode, rollup.Error));
        Assert.Equal(rollupId, Assert.Single(await Store.Rollups.ListAsync(period.Id, Token)).Id);
    }

    [Fact]
    public async Task A_period_report_text_is_replaced_whole_audited_each_time_and_refused_for_an_unknown_period()
    {
        var (period, _, _) = await Store.OpenDistrictAsync(1);
        var admin = new Actor("key-text", ApiKeyRole.Admin);
        Assert.Null(await Store.ReportTexts.GetAsync(period.Id, Token));

        var first = await Store.ReportTexts.SaveAsync(period.Id, """{"problems":"甲"}""", new { parts = new[] { "problems" } }, admin, Token);
        var second = await Store.ReportTexts.SaveAsync(period.Id, """{"other":"乙"}""", new { parts = new[] { "other" } }, admin, Token);
        var unknown = await Store.ReportTexts.SaveAsync(Guid.NewGuid(), "{}", new { }, admin, Token);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(unknown);
        var stored = await Store.ReportTexts.GetAsync(period.Id, Token);
        Assert.Equal(("""{"other":"乙"}""", "key-text"), (stored!.Content, stored.UpdatedBy));
        var audit = await Store.Audit.ListAsync(0, 10, "period", period.Id.ToString(), Token);
        Assert.Equal(["report_text.updated", "report_text.created"], audit.Items.Select(e => e.Action).Where(a => a.StartsWith("report_text.", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_rollup_is_completed_in_the_same_transaction_that_stores_its_report_and_only_once()
    {
        var (period, district, _) = await Store.OpenDistrictAsync(1);
        var rollupId = await Store.Rollups.CreateAsync(period.Id, district, Actor.Cli, id => StorageHarness.Announce("Test.RollupRequested", id), Token);
        Assert.False(await Store.Rollups.CompleteWithReportsAsync(rollupId, [(ReportFormat.Html, "<p>early</p>")], Token));
        Assert.Empty(await Store.Reports.ListFormatsAsync(rollupId, Token));
        Assert.True(await Store.Rollups.StoreSumsAsync(rollupId, [new RollupValue("x", 1m)], [], [], StorageHarness.Announce("Test.RollupCompleted", rollupId), Token));

        Assert.True(await Store.Rollups.CompleteWithReportsAsync(rollupId, [(ReportFormat.Html, "<p>a</p>"), (ReportFormat.Markdown, "a")], Token));
        Assert.False(await Store.Rollups.CompleteWithReportsAsync(rollupId, [(ReportFormat.Html, "<p>b</p>")], Token));
        Assert.False(await Store.Rollups.FailAsync(rollupId, "report_render_failed", "太晚了", Token));

        var rollup = await Store.Rollups.GetAsync(rollupId, Token);
        Assert.Equal(RollupStatus.Completed, rollup!.Status);
        Assert.NotNull(rollup.CompletedAt);
        Assert.Equal("<p>a</p>", (await Store.Reports.GetAsync(rollupId, ReportFormat.Html, Token))!.Content);
        Assert.Equal([ReportFormat.Html, ReportFormat.Markdown], await Store.Reports.ListFormatsAsync(rollupId, Token));
    }

    [Fact]
    public async Task A_format_stored_ahead_is_kept_only_while_the_rollup_renders_and_completes_with_the_rest()
    {
        var (period, district, _) = await Store.OpenDistrictAsync(1);
        var rollupId = await Store.Rollups.CreateAsync(period.Id, district, Actor.Cli, id => StorageHarness.Announce("Test.RollupRequested", id), Token);
        Assert.False(await Store.Rollups.StoreReportAsync(rollupId, ReportFormat.Html, "<p>too early</p>", Token));
        Assert.Empty(await Store.Reports.ListFormatsAsync(rollupId, Token));
        Assert.True(await Store.Rollups.StoreSumsAsync(rollupId, [new RollupValue("x", 1m)], [], [], StorageHarness.Announce("Test.RollupCompleted", rollupId), Token));

        Assert.True(await Store.Rollups.StoreReportAsync(rollupId, ReportFormat.Html, "<p>a</p>", Token));
        Assert.Equal(RollupStatus.Rendering, (await Store.Rollups.GetHeaderAsync(rollupId, Token))!.Status);
        Assert.Equal([ReportFormat.Html], await Store.Reports.ListFormatsAsync(rollupId, Token));
        Assert.True(await Store.Rollups.CompleteWithReportsAsync(rollupId, [(ReportFormat.Markdown, "a")], Token));
        Assert.False(await Store.Rollups.StoreReportAsync(rollupId, ReportFormat.Html, "<p>after</p>", Token));

        Assert.Equal("<p>a</p>", (await Store.Reports.GetAsync(rollupId, ReportFormat.Html, Token))!.Content);
        Assert.Equal([ReportFormat.Html, ReportFormat.Markdown], await Store.Reports.ListFormatsAsync(rollupId, Token));
        var completed = (await Store.Audit.ListAsync(0, 10, "rollup", rollupId.ToString(), Token)).Items.Single(e => e.Action == "rollup.completed");
        Assert.Contains("\"formats\":[\"html\",\"md\"]", completed.Details!, StringComparison.Ordinal);

        var failing = await Store.Rollups.CreateAsync(period.Id, district, Actor.Cli, id => StorageHarness.Announce("Test.RollupRequested", id), Token);
        Assert.True(await Store.Rollups.StoreSumsAsync(failing, [new RollupValue("x", 1m)], [], [], StorageHarness.Announce("Test.RollupCompleted", failing), Token));
        Assert.True(await Store.Rollups.FailAsync(failing, "report_render_failed", "md 格式的汇总报告生成失败", Token));
        Assert.False(await Store.Rollups.StoreReportAsync(failing, ReportFormat.Html, "<p>a</p>", Token));
        Assert.Empty(await Store.Reports.ListFormatsAsync(failing, Token));
    }

    [Fact]
    public async Task A_rendering_rollup_can_fail_and_keeps_its_sums_but_never_completes_afterwards()
    {
        var (period, district, _) = await Store.OpenDistrictAsync(1);
        var rollupId = await Store.Rollups.CreateAsync(period.Id, district, Actor.Cli, id => StorageHarness.Announce("Test.RollupRequested", id), Token);
        Assert.True(await Store.Rollups.StoreSumsAsync(rollupId, [new RollupValue("x", 1m)], [], [], StorageHarness.Announce("Test.RollupCompleted", rollupId), Token));

        Assert.True(await Store.Rollups.FailAsync(rollupId, "report_render_failed", "html 格式的汇总报告生成失败", Token));
        Assert.False(await Store.Rollups.CompleteWithReportsAsync(rollupId, [(ReportFormat.Html, "<p>a</p>")], Token));

        var rollup = await Store.Rollups.GetAsync(rollupId, Token);
        Assert.Equal((RollupStatus.Failed, "report_render_failed"), (rollup!.Status, rollup.ErrorCode));
        Assert.Equal([new RollupValue("x", 1m)], rollup.Values);
        Assert.Empty(await Store.Reports.ListFormatsAsync(rollupId, Token));
    }

    [Fact]
    public async Task A_newer_version_of_a_summed_unit_marks_the_completed_rollup_stale_once_with_one_audit_row()
    {
        var (period, district, units) = await Store.OpenDistrictAsync(2);
        var v1 = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", StorageHarness.Cells(("x", 1m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        var rollupId = await CompletedRollupAsync(period.Id, district, [new RollupInput(units[0], v1.SubmissionId, 1)], [units[1]]);
        var v2 = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", StorageHarness.Cells(("x", 2m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);

        var first = await Store.Rollups.MarkStaleAsync(period.Id, units[0], v2.SubmissionId, 2, Token);
        var staleSince = (await Store.Rollups.GetAsync(rollupId, Token))!.StaleSince;
        var second = await Store.Rollups.MarkStaleAsync(period.Id, units[0], v2.SubmissionId, 2, Token);

        Assert.Equal([rollupId], first);
        Assert.Empty(second);
        Assert.NotNull(staleSince);
        Assert.Equal(staleSince, (await Store.Rollups.GetAsync(rollupId, Token))!.StaleSince);
        Assert.Equal(staleSince, Assert.Single(await Store.Rollups.ListAsync(period.Id, Token)).StaleSince);
        var audit = await Store.Audit.ListAsync(0, 50, "rollup", rollupId.ToString(), Token);
        Assert.Single(audit.Items, item => item.Action == "rollup.superseded");
    }

    [Fact]
    public async Task A_version_already_summed_or_older_leaves_the_rollup_fresh()
    {
        var (period, district, units) = await Store.OpenDistrictAsync(1);
        await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", StorageHarness.Cells(("x", 1m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        var v2 = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", StorageHarness.Cells(("x", 2m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        var rollupId = await CompletedRollupAsync(period.Id, district, [new RollupInput(units[0], v2.SubmissionId, 2)], []);

        var marked = new[]
        {
            await Store.Rollups.MarkStaleAsync(period.Id, units[0], v2.SubmissionId, 2, Token),
            await Store.Rollups.MarkStaleAsync(period.Id, units[0], v2.SubmissionId, 1, Token),
        };

        Assert.All(marked, Assert.Empty);
        Assert.Null((await Store.Rollups.GetAsync(rollupId, Token))!.StaleSince);
    }

    [Fact]
    public async Task A_unit_left_out_of_the_sums_marks_the_rollup_stale_but_a_unit_outside_its_subtree_or_an_unfinished_rollup_does_not()
    {
        var (period, district, units) = await Store.OpenDistrictAsync(2);
        var outsider = StorageHarness.NewCode("x");
        await Store.Units.UpsertManyAsync([new UnitRegistration(outsider, "区外单位", OrgUnitKind.Other, null)], Actor.Cli, Token);
        var completed = await CompletedRollupAsync(period.Id, district, [], [units[0]]);
        var requested = await Store.Rollups.CreateAsync(period.Id, district, Actor.Cli, id => StorageHarness.Announce("Test.RollupRequested", id), Token);
        var submission = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", StorageHarness.Cells(("x", 1m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);

        var fromOutside = await Store.Rollups.MarkStaleAsync(period.Id, outsider, Guid.NewGuid(), 1, Token);
        var fromSubtree = await Store.Rollups.MarkStaleAsync(period.Id, units[0], submission.SubmissionId, 1, Token);

        Assert.Empty(fromOutside);
        Assert.Equal([completed], fromSubtree);
        Assert.Null((await Store.Rollups.GetAsync(requested, Token))!.StaleSince);
    }

    [Fact]
    public async Task Saving_the_same_report_twice_keeps_the_first_rendering_and_new_content_replaces_it()
    {
        var (period, district, _) = await Store.OpenDistrictAsync(1);
        var rollupId = await Store.Rollups.CreateAsync(period.Id, district, Actor.Cli, id => StorageHarness.Announce("Test.RollupRequested", id), Token);
        await Store.Reports.SaveAsync(rollupId, ReportFormat.Html, "<h1>报告</h1>", Token);
        var first = await Store.Reports.GetAsync(rollupId, ReportFormat.Html, Token);

        await Store.Reports.SaveAsync(rollupId, ReportFormat.Html, "<h1>报告</h1>", Token);
        var repeated = await Store.Reports.GetAsync(rollupId, ReportFormat.Html, Token);
        await Store.Reports.SaveAsync(rollupId, ReportFormat.Html, "<h1>新报告</h1>", Token);
        var replaced = await Store.Reports.GetAsync(rollupId, ReportFormat.Html, Token);

        Assert.Equal(first, repeated);
        Assert.Equal("<h1>新报告</h1>", replaced!.Content);
        Assert.Null(await Store.Reports.GetAsync(rollupId, ReportFormat.Markdown, Token));
        Assert.Equal([ReportFormat.Html], await Store.Reports.ListFormatsAsync(rollupId, Token));
    }

    [Fact]
    public async Task Api_keys_are_found_by_prefix_revoked_once_and_prefixes_are_unique()
    {
        var unit = StorageHarness.NewCode("u");
        await Store.Units.UpsertManyAsync([new UnitRegistration(unit, "单位", OrgUnitKind.Department, null)], Actor.Cli, Token);
        var prefix = StorageHarness.NewCode("k");
        var key = await Store.ApiKeys.AddAsync(
            new ApiKey { Id = Guid.NewGuid(), KeyPrefix = prefix, KeyHash = "hash", Role = ApiKeyRole.Unit, UnitCode = unit, Label = "某局", CreatedAt = default },
            Actor.Cli,
            Token);

        var found = await Store.ApiKeys.FindByPrefixAsync(prefix, Token);
        Assert.Equal(key, found);
        await Assert.ThrowsAsync<DuplicateRecordException>(() => Store.ApiKeys.AddAsync(key with { Id = Guid.NewGuid() }, Actor.Cli, Token));
        Assert.True(await Store.ApiKeys.RevokeAsync(key.Id, Actor.Cli, Token));
        Assert.False(await Store.ApiKeys.RevokeAsync(key.Id, Actor.Cli, Token));
        Assert.NotNull((await Store.ApiKeys.FindByPrefixAsync(prefix, Token))!.RevokedAt);
        Assert.Contains(await Store.ApiKeys.ListAsync(Token), listed => listed.Id == key.Id);
    }

    [Fact]
    public async Task The_audit_log_pages_newest_first_and_filters_by_target()
    {
        var target = StorageHarness.NewCode("t");
        for (var i = 1; i <= 5; i++)
        {
            await Store.Audit.AppendAsync(new Actor("key-9", ApiKeyRole.Admin), $"test.step{i}", "test", target, new { step = i }, Token);
        }

        var page = await Store.Audit.ListAsync(1, 2, "test", target, Token);

        Assert.Equal(5, page.Total);
        Assert.Equal(["test.step4", "test.step3"], page.Items.Select(item => item.Action));
        Assert.Equal("""{"step":4}""", page.Items[0].Details);
        Assert.True((await Store.Audit.ListAsync(0, 3, null, null, Token)).Total >= 5);
    }

    [Fact]
    public async Task An_idempotency_key_keeps_the_first_response_stored_under_it()
    {
        var first = new IdempotentResponse
        {
            OwnerKeyId = "key-1", IdempotencyKey = Guid.NewGuid().ToString(), RequestHash = "h1", StatusCode = 201,
            ResponseBody = """{"id":1}""", ContentType = "application/json", Location = "/api/v1/submissions/1",
        };

        var inserted = await Store.Idempotency.TryInsertAsync(first, Token);
        var repeated = await Store.Idempotency.TryInsertAsync(first with { RequestHash = "h2", StatusCode = 500 }, Token);
        var otherOwner = await Store.Idempotency.TryInsertAsync(first with { OwnerKeyId = "key-2" }, Token);

        Assert.True(inserted.Inserted);
        Assert.False(repeated.Inserted);
        Assert.Equal(("h1", 201, "/api/v1/submissions/1"), (repeated.Stored.RequestHash, repeated.Stored.StatusCode, repeated.Stored.Location));
        Assert.True(otherOwner.Inserted);
        Assert.Equal(inserted.Stored, await Store.Idempotency.TryGetAsync("key-1", first.IdempotencyKey, Token));
        Assert.Null(await Store.Idempotency.TryGetAsync("key-3", first.IdempotencyKey, Token));
    }

    [Fact]
    public async Task Only_one_of_many_concurrent_reservations_of_a_key_wins_and_the_others_see_it_in_progress()
    {
        var key = Guid.NewGuid().ToString();

        var reservations = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(() =>
            Store.Idempotency.ReserveAsync("key-1", key, "h1", TimeSpan.FromMinutes(2), Token))));

        var winner = Assert.Single(reservations, reservation => reservation.Won);
        Assert.All(reservations.Where(reservation => !reservation.Won), reservation =>
        {
            Assert.True(reservation.Row.IsInProgress);
            Assert.Equal(winner.Row.CreatedAt, reservation.Row.CreatedAt);
        });
        Assert.True((await Store.Idempotency.TryGetAsync("key-1", key, Token))!.IsInProgress);
    }

    [Fact]
    public async Task A_completed_reservation_is_what_later_reservations_of_the_key_find()
    {
        var key = Guid.NewGuid().ToString();
        var reservation = await Store.Idempotency.ReserveAsync("key-1", key, "h1", TimeSpan.FromMinutes(2), Token);

        var completed = await Store.Idempotency.CompleteAsync(reservation.Row with
        {
            StatusCode = 202, ResponseBody = """{"version":3}""", ContentType = "application/json", Location = "/api/v1/submissions/3",
        }, Token);
        var again = await Store.Idempotency.ReserveAsync("key-1", key, "h1", TimeSpan.FromMinutes(2), Token);
        var otherOwner = await Store.Idempotency.ReserveAsync("key-2", key, "h1", TimeSpan.FromMinutes(2), Token);

        Assert.True(completed);
        Assert.False(again.Won);
        Assert.False(again.Row.IsInProgress);
        Assert.Equal((202, """{"version":3}""", "application/json", "/api/v1/submissions/3"),
            (again.Row.StatusCode, again.Row.ResponseBody, again.Row.ContentType, again.Row.Location));
        Assert.True(otherOwner.Won);
    }

    [Fact]
    public async Task A_released_reservation_frees_the_key_for_another_request()
    {
        var key = Guid.NewGuid().ToString();
        var failed = await Store.Idempotency.ReserveAsync("key-1", key, "h1", TimeSpan.FromMinutes(2), Token);

        var released = await Store.Idempotency.ReleaseAsync(failed.Row, Token);
        var corrected = await Store.Idempotency.ReserveAsync("key-1", key, "h2", TimeSpan.FromMinutes(2), Token);

        Assert.True(released);
        Assert.True(corrected.Won);
        Assert.Equal("h2", (await Store.Idempotency.TryGetAsync("key-1", key, Token))!.RequestHash);
    }

    [Fact]
    public async Task A_completed_response_is_never_released_or_overwritten()
    {
        var key = Guid.NewGuid().ToString();
        var reservation = await Store.Idempotency.ReserveAsync("key-1", key, "h1", TimeSpan.FromMinutes(2), Token);
        var response = reservation.Row with { StatusCode = 201, ResponseBody = "first" };
        await Store.Idempotency.CompleteAsync(response, Token);

        var releasedAfterwards = await Store.Idempotency.ReleaseAsync(reservation.Row, Token);
        var completedTwice = await Store.Idempotency.CompleteAsync(response with { StatusCode = 200, ResponseBody = "second" }, Token);

        Assert.False(releasedAfterwards);
        Assert.False(completedTwice);
        var stored = await Store.Idempotency.TryGetAsync("key-1", key, Token);
        Assert.Equal((201, "first"), (stored!.StatusCode, stored.ResponseBody));
    }

    [Fact]
    public async Task An_abandoned_reservation_is_taken_over_and_its_first_holder_can_no_longer_complete_it()
    {
        var key = Guid.NewGuid().ToString();
        var abandoned = await Store.Idempotency.ReserveAsync("key-1", key, "h1", TimeSpan.FromMinutes(2), Token);
        var stillFresh = await Store.Idempotency.ReserveAsync("key-1", key, "h1", TimeSpan.FromMinutes(2), Token);
        await Task.Delay(50, Token);

        var takeover = await Store.Idempotency.ReserveAsync("key-1", key, "h1", TimeSpan.FromMilliseconds(10), Token);
        var lateCompletion = await Store.Idempotency.CompleteAsync(abandoned.Row with { StatusCode = 202, ResponseBody = "late" }, Token);
        var lateRelease = await Store.Idempotency.ReleaseAsync(abandoned.Row, Token);

        Assert.True(abandoned.Won);
        Assert.False(stillFresh.Won);
        Assert.True(takeover.Won);
        Assert.True(takeover.Row.CreatedAt > abandoned.Row.CreatedAt);
        Assert.False(lateCompletion);
        Assert.False(lateRelease);
        Assert.True(await Store.Idempotency.CompleteAsync(takeover.Row with { StatusCode = 202, ResponseBody = "new" }, Token));
        Assert.Equal("new", (await Store.Idempotency.TryGetAsync("key-1", key, Token))!.ResponseBody);
    }

    [Fact]
    public async Task Outbox_rows_stay_pending_until_marked_published_and_count_failed_attempts()
    {
        var type = "Test.Message." + Guid.NewGuid().ToString("N");
        var first = await Store.Outbox.AddAsync(type, """{"n":1}""", Token);
        var second = await Store.Outbox.AddAsync(type, """{"n":2}""", Token);
        await Store.Outbox.RecordFailedAttemptAsync(second, "broker unreachable", 10, Token);
        await Store.Outbox.RecordFailedAttemptAsync(second, "broker unreachable", 10, Token);

        var pending = (await Store.Outbox.GetPendingAsync(DateTimeOffset.UtcNow.AddMinutes(1), 10_000, Token)).Where(message => message.MessageType == type).ToList();
        var notYet = (await Store.Outbox.GetPendingAsync(DateTimeOffset.UtcNow.AddHours(-1), 10_000, Token)).Where(message => message.MessageType == type);
        await Store.Outbox.MarkPublishedAsync([first], DateTimeOffset.UtcNow, Token);
        await Store.Outbox.MarkPublishedAsync([first], DateTimeOffset.UtcNow, Token);
        var afterMarking = (await Store.Outbox.GetPendingAsync(DateTimeOffset.UtcNow.AddMinutes(1), 10_000, Token)).Where(message => message.MessageType == type);

        Assert.Equal([first, second], pending.Select(message => message.Id));
        Assert.Equal([0, 2], pending.Select(message => message.Attempts));
        Assert.Equal("""{"n":1}""", pending[0].Payload);
        Assert.Empty(notYet);
        Assert.Equal([second], afterMarking.Select(message => message.Id));
    }

    [Fact]
    public async Task Running_the_migrations_again_applies_nothing()
    {
        var result = await fixture.Database.CreateMigrator().MigrateAsync(Token);

        Assert.Empty(result.AppliedScripts);
    }

    [Fact]
    public async Task Two_migrators_racing_on_a_fresh_database_apply_each_script_once()
    {
        await using var database = (await TestDatabases.TryCreateAsync(fixture.Provider)).Require();

        var results = await Task.WhenAll(
            Task.Run(() => database.CreateMigrator().MigrateAsync(Token), Token),
            Task.Run(() => database.CreateMigrator().MigrateAsync(Token), Token));

        var applied = results.SelectMany(result => result.AppliedScripts).ToList();
        Assert.NotEmpty(applied);
        Assert.Equal(applied.Distinct().Count(), applied.Count);
        var store = new StorageHarness(database);
        var (period, _, units) = await store.OpenDistrictAsync(1);
        Assert.Equal(units, (await store.Periods.GetExpectedUnitsAsync(period.Id, Token)).Select(unit => unit.Code));
    }

    private async Task<Guid> CompletedRollupAsync(Guid periodId, string rootUnitCode, IReadOnlyCollection<RollupInput> inputs, IReadOnlyList<string> missing)
    {
        var rollupId = await Store.Rollups.CreateAsync(periodId, rootUnitCode, Actor.Cli, id => StorageHarness.Announce("Test.RollupRequested", id), Token);
        Assert.True(await Store.Rollups.StoreSumsAsync(
            rollupId,
            [new RollupValue("x", 1m)],
            inputs,
            [.. missing.Select(unit => new RollupExclusion(unit, ExclusionReason.Missing, null))],
            StorageHarness.Announce("Test.RollupCompleted", rollupId),
            Token));
        Assert.True(await Store.Rollups.CompleteWithReportsAsync(rollupId, [(ReportFormat.Html, "<p>x</p>")], Token));
        return rollupId;
    }

    private async Task<IReadOnlyList<Outbox.OutboxMessage>> PendingAsync(string messageType, Guid id)
    {
        var pending = await Store.Outbox.GetPendingAsync(DateTimeOffset.UtcNow.AddMinutes(1), 100_000, Token);
        return [.. pending.Where(message => message.MessageType == messageType && message.Payload.Contains(id.ToString(), StringComparison.Ordinal))];
    }

    private async Task<Outbox.OutboxMessage> FindPendingAsync(string messageType, Guid id)
    {
        var found = await PendingAsync(messageType, id);
        Assert.True(found.Count > 0, $"No pending {messageType} mentions {id}.");
        return found[0];
    }
}

using System.Globalization;
using Aggregator.Core.Forms;
using Aggregator.Core.Summation;
using Aggregator.Core.Values;
using Aggregator.Storage.Periods;
using Aggregator.Storage.Rollups;
using Aggregator.Storage.Submissions;
using Aggregator.Storage.Units;
using Aggregator.Testing.Databases;
using CsCheck;
using Dapper;

namespace Aggregator.Storage.Tests;

/// <summary>Money to the 分: what the core reads is what the database keeps, and what a rollup of it stores.</summary>
public abstract partial class StorageSuite
{
    // One money cell of each format: unit not printed (fmt_2019), printed in the header (fmt_2021), printed in a column (old form).
    private static readonly (string FormId, int Year, string CellId)[] MoneyCells =
    [
        ("fmt_2019", 2019, "s2_9.central_procurement.total_amount"),
        ("fmt_2021", 2022, "s2_8.admin_fee.amount"),
        ("stat_pre2019", 2017, "stat.s7_4.value"),
    ];

    [Fact]
    public async Task Cells_of_a_version_that_was_never_stored_fail_their_whole_write()
    {
        var (period, _, units) = await Store.OpenDistrictAsync(1);
        var stored = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", StorageHarness.Cells(("a", 1m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);

        await using (var connection = await Store.Connections.OpenAsync(Token))
        {
            await using var transaction = await connection.BeginTransactionAsync(Token);
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => Store.Dialect.CellValues.WriteManyAsync(
                connection,
                transaction,
                [(stored.SubmissionId, stored.Version, StorageHarness.Cells(("b", 2m))), (stored.SubmissionId, stored.Version + 1, StorageHarness.Cells(("a", 3m)))],
                Token));
        }

        var cells = await Store.Submissions.GetCellsAsync(stored.SubmissionId, stored.Version, Token);
        Assert.Equal(["a"], cells.Select(c => c.CellId));
        Assert.Empty(await Store.Submissions.GetCellsAsync(stored.SubmissionId, stored.Version + 1, Token));
    }

    [Fact]
    public async Task Cells_and_rollup_values_round_trip_exactly_to_the_fen()
    {
        var (period, district, units) = await Store.OpenDistrictAsync(1);
        // 0.00045 万元 is three units' 1.50元; 7380.28959 is 73802895.90元; 24252.311082 is printed so in a 2021 report.
        decimal[] amounts = [0.00045m, 7380.28959m, 24252.311082m, 0.000001m, -0.000001m, 25.1m, 12.000000m, 999_999_999_999_999.999999m];
        var cells = amounts.Select((amount, i) => new CellValue($"c{i}", amount, null)).ToList();

        var stored = await Store.Submissions.AddVersionAsync(period.Id, units[0], "{}", cells, Actor.Cli, StorageHarness.AnnounceVersion, Token);
        var rollupId = await Store.Rollups.CreateAsync(period.Id, district, Actor.Cli, id => StorageHarness.Announce("Test.RollupRequested", id), Token);
        await Store.Rollups.StoreSumsAsync(rollupId, [.. cells.Select(cell => new RollupValue(cell.CellId, cell.Value))], [], [], [], Token);
        var readCells = await Store.Submissions.GetCellsAsync(stored.SubmissionId, stored.Version, Token);
        var readRollup = (await Store.Rollups.GetAsync(rollupId, Token))!.Values;

        string[] printed = ["0.00045", "7380.28959", "24252.311082", "0.000001", "-0.000001", "25.1", "12", "999999999999999.999999"];
        Assert.Equal(printed, readCells.OrderBy(cell => cell.CellId, StringComparer.Ordinal).Select(cell => Text(cell.Value)));
        Assert.Equal(printed, readRollup.OrderBy(value => value.CellId, StringComparer.Ordinal).Select(value => Text(value.Value)));
    }

    [Fact]
    public async Task A_value_the_columns_cannot_hold_exactly_is_refused_and_nothing_is_stored()
    {
        var (period, district, units) = await Store.OpenDistrictAsync(1);
        var rollupId = await Store.Rollups.CreateAsync(period.Id, district, Actor.Cli, id => StorageHarness.Announce("Test.RollupRequested", id), Token);

        var tooFine = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.Submissions.AddVersionAsync(
            period.Id, units[0], "{}", [new CellValue("ok", 1m, null), new CellValue("fine", 0.0000005m, null)], Actor.Cli, StorageHarness.AnnounceVersion, Token));
        var tooLarge = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.Submissions.AddVersionAsync(
            period.Id, units[0], "{}", [new CellValue("large", 1_000_000_000_000_000m, null)], Actor.Cli, StorageHarness.AnnounceVersion, Token));
        var rollupTooFine = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.Rollups.StoreSumsAsync(
            rollupId, [new RollupValue("x", 4.5000001m)], [], [], [], Token));

        Assert.Contains("more than 6 decimal places", tooFine.Message, StringComparison.Ordinal);
        Assert.Contains("'large' exceeds decimal(21,6)", tooLarge.Message, StringComparison.Ordinal);
        Assert.Contains("'x'", rollupTooFine.Message, StringComparison.Ordinal);
        Assert.Null((await Store.Periods.CompletenessAsync(period.Id, Token)).Single().LatestVersion);
        var rollup = await Store.Rollups.GetAsync(rollupId, Token);
        Assert.Equal(RollupStatus.Requested, rollup!.Status);
        Assert.Empty(rollup.Values);
    }

    [Fact]
    public async Task A_rollup_of_amounts_in_every_notation_stores_the_exact_sum_of_what_the_core_read()
    {
        var amount = Gen.OneOf(Gen.Long[0, 1_000], Gen.Long[0, 100_000_000_000], Gen.Long[0, 100_000_000_000_000]);
        var written = Gen.Select(amount, Gen.Int[0, Notations.Length - 1]);
        var sample = Gen.Select(Gen.Int[0, MoneyCells.Length - 1], written.Array[2, 6]);
        // Outside the sample, so that a database that is not available here skips the test instead of failing a sample.
        var store = Store;

        await sample.SampleAsync(
            async (cellIndex, units) =>
            {
                var (formId, year, cellId) = MoneyCells[cellIndex];
                var form = FormCatalog.Default.Get(formId);
                var (period, district, codes) = await store.OpenDistrictAsync(units.Length);
                var readings = new List<decimal>();
                for (var i = 0; i < units.Length; i++)
                {
                    var (fen, notation) = units[i];
                    var value = Notations[notation](fen);
                    var reading = Read(form, year, cellId, value);
                    Assert.True(reading == fen / 1_000_000m, $"{Describe(value)} was read as {reading} 万元, not {fen / 1_000_000m}.");
                    readings.Add(reading);
                    var stored = await store.Submissions.AddVersionAsync(
                        period.Id, codes[i], "{}", [new CellValue(cellId, reading, value.Text)], Actor.Cli, StorageHarness.AnnounceVersion, Token);
                    await store.Validation.SaveResultAsync(stored.SubmissionId, stored.Version, SubmissionStatus.Accepted, "[]", [], Token);
                }

                var rollupId = await store.Rollups.CreateAsync(period.Id, district, Actor.Cli, id => StorageHarness.Announce("Test.RollupRequested", id), Token);
                var source = await store.Rollups.LoadInputsAsync(period.Id, district, Token);
                var sum = RollupCalculator.Sum(form, source.Units.Select(unit => new Core.Summation.RollupInput(
                    unit.UnitCode, NormalizedTable.FromValues(form, unit.AcceptedCells.Select(cell => KeyValuePair.Create(cell.CellId, cell.Value))))));
                await store.Rollups.StoreSumsAsync(
                    rollupId, [.. sum.Total.FilledCells.Select(cell => new RollupValue(cell.Cell.Id, cell.Value))], [], [], [], Token);

                var consolidated = Assert.Single((await store.Rollups.GetAsync(rollupId, Token))!.Values);
                Assert.Equal(cellId, consolidated.CellId);
                Assert.Equal(readings.Sum(), consolidated.Value);
            },
            iter: 25,
            threads: 1,
            print: sample => $"{MoneyCells[sample.Item1].CellId}: {string.Join(" + ", sample.Item2.Select(unit => Describe(Notations[unit.Item2](unit.Item1))))}");
    }

    [Fact]
    public async Task A_database_at_0002_keeps_its_four_place_values_when_migrated_to_0003()
    {
        await using var database = (await TestDatabases.TryCreateAsync(fixture.Provider)).Require();
        var before = await database.CreateMigrator().MigrateAsync("0002_rollup_stale.sql", Token);
        Assert.DoesNotContain(before.AppliedScripts, script => script.Contains("0003", StringComparison.Ordinal));
        var store = new StorageHarness(database);
        var (period, district, units) = await OpenDistrictBefore0010Async(store, database);
        // The largest and smallest magnitudes decimal(19,4) held, and a value it had rounded to four places.
        decimal[] old = [24252.3111m, 99_999_999_999_999.9999m, -0.0001m, 7390.1m];
        var cells = old.Select((value, i) => new CellValue($"c{i}", value, null)).ToList();
        var stored = await store.Submissions.AddVersionAsync(period.Id, units[0], "{}", cells, Actor.Cli, StorageHarness.AnnounceVersion, Token);
        var rollupId = await store.Rollups.CreateAsync(period.Id, district, Actor.Cli, id => StorageHarness.Announce("Test.RollupRequested", id), Token);
        // Written as the 0002 schema holds them: today's repository already needs the later migrations.
        await using (var connection = await database.Connections.OpenAsync(Token))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO rollup_values (rollup_id, cell_id, value) VALUES (@RollupId, @CellId, @Value)",
                cells.Select(cell => new { RollupId = rollupId, cell.CellId, cell.Value }).ToList(), cancellationToken: Token));
        }

        var upgrade = await database.CreateMigrator().MigrateAsync(Token);

        Assert.Contains(upgrade.AppliedScripts, script => script.EndsWith(".0003_exact_cell_values.sql", StringComparison.Ordinal));
        Assert.Equal(old, (await store.Submissions.GetCellsAsync(stored.SubmissionId, stored.Version, Token))
            .OrderBy(cell => cell.CellId, StringComparer.Ordinal).Select(cell => cell.Value!.Value));
        Assert.Equal(old, (await store.Rollups.GetAsync(rollupId, Token))!.Values.Select(value => value.Value!.Value));
        var exact = await store.Submissions.AddVersionAsync(period.Id, units[0], "{}", [new CellValue("c0", 24252.311082m, null)], Actor.Cli, StorageHarness.AnnounceVersion, Token);
        Assert.Equal(24252.311082m, Assert.Single(await store.Submissions.GetCellsAsync(exact.SubmissionId, exact.Version, Token)).Value);
    }

    // The period is written as the schemas before 0010 hold it (no parent per expected unit): opening one today needs 0010.
    private static Task<(Period Period, string District, IReadOnlyList<string> Units)> OpenDistrictBefore0010Async(StorageHarness store, TestDatabase database) =>
        store.OpenDistrictAsWrittenBeforeAsync(database, 1, withParents: false);

    // Every way a unit writes an amount that the core accepts, given the amount in 分 (0.000001 万元 each).
    private static readonly Func<long, SubmittedValue>[] Notations =
    [
        fen => SubmittedValue.FromText(Yuan(fen).ToString("0.00", CultureInfo.InvariantCulture) + "元"),
        fen => SubmittedValue.FromText(Yuan(fen).ToString("#,0.00", CultureInfo.InvariantCulture) + "元"),
        fen => SubmittedValue.FromText(Yuan(fen).ToString("0.##", CultureInfo.InvariantCulture) + " 元"),
        fen => SubmittedValue.FromText(Wan(fen).ToString("0.######", CultureInfo.InvariantCulture) + "万元"),
        fen => SubmittedValue.FromText(Wan(fen).ToString("#,0.000000", CultureInfo.InvariantCulture)),
        fen => SubmittedValue.FromText(FullWidth(Yuan(fen).ToString("#,0.00", CultureInfo.InvariantCulture)) + "元"),
        fen => SubmittedValue.FromText("\u3000" + FullWidth(Wan(fen).ToString("0.######", CultureInfo.InvariantCulture)) + "\u00a0万元 "),
        fen => SubmittedValue.FromText((fen / 100_000m).ToString("0.#######", CultureInfo.InvariantCulture) + "千元"),
        fen => SubmittedValue.FromText((fen / 10_000_000_000m).ToString("0.##########", CultureInfo.InvariantCulture) + "亿元"),
        fen => SubmittedValue.FromNumber(Wan(fen), Wan(fen).ToString(CultureInfo.InvariantCulture)),
    ];

    private static decimal Yuan(long fen) => fen / 100m;

    private static decimal Wan(long fen) => fen / 1_000_000m;

    private static string FullWidth(string ascii) =>
        string.Concat(ascii.Select(c => c is >= '0' and <= '9' or ',' or '.' ? (char)(c + 0xFEE0) : c));

    private static decimal Read(FormDefinition form, int year, string cellId, SubmittedValue value)
    {
        var document = new SubmissionDocument
        {
            FormatId = form.Id,
            Year = year,
            UnitName = "测试单位",
            Values = new Dictionary<string, SubmittedValue>(StringComparer.Ordinal) { [cellId] = value },
        };
        var result = TableNormalizer.Normalize(form, document);
        Assert.DoesNotContain(result.Problems, problem => problem.Severity == Core.Rules.Severity.Error);
        return result.Table.GetValue(cellId) ?? throw new InvalidOperationException($"{Describe(value)} was read as blank.");
    }

    private static string Describe(SubmittedValue value) => value.Number is { } number ? $"JSON {number}" : $"\"{value.Text}\"";

    private static string Text(decimal? value) => value!.Value.ToString(CultureInfo.InvariantCulture);
}

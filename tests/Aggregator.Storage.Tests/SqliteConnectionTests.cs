using Aggregator.Testing.Databases;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Aggregator.Storage.Tests;

public sealed class SqliteConnectionTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Embedded_connections_use_wal_enforce_foreign_keys_and_wait_for_locks()
    {
        await using var database = await (await TestDatabases.SqliteAsync()).MigrateAsync(Token);
        await using var connection = await database.Connections.OpenAsync(Token);

        var journalMode = await connection.ExecuteScalarAsync<string>(new CommandDefinition("PRAGMA journal_mode", cancellationToken: Token));
        var foreignKeys = await connection.ExecuteScalarAsync<long>(new CommandDefinition("PRAGMA foreign_keys", cancellationToken: Token));
        var busyTimeout = await connection.ExecuteScalarAsync<long>(new CommandDefinition("PRAGMA busy_timeout", cancellationToken: Token));

        Assert.Equal(("wal", 1L), (journalMode, foreignKeys));
        Assert.True(busyTimeout >= 5000, $"busy_timeout is {busyTimeout} ms");
    }

    [Fact]
    public async Task A_database_at_0014_keeps_every_cell_when_its_cells_are_clustered_on_their_key_at_0015()
    {
        await using var database = await TestDatabases.SqliteAsync();
        await database.CreateMigrator().MigrateAsync("0014_rollup_child_values.sql", Token);
        var store = new StorageHarness(database);
        var (period, _, units) = await store.OpenDistrictAsWrittenBeforeAsync(database, 2, withParents: true);
        var cells = new[] { StorageHarness.Cells(("a", 1.5m), ("b", null), ("c", -0.000001m)), StorageHarness.Cells(("a", 999_999_999_999_999.999999m)) };
        var stored = new List<Aggregator.Storage.Submissions.StoredVersion>();
        for (var i = 0; i < units.Count; i++)
        {
            stored.Add(await store.Submissions.AddVersionAsync(period.Id, units[i], "{}", cells[i], Actor.Cli, StorageHarness.AnnounceVersion, Token));
        }

        var upgrade = await database.CreateMigrator().MigrateAsync(Token);

        Assert.Contains(upgrade.AppliedScripts, script => script.EndsWith(".0015_cell_values_clustered.sql", StringComparison.Ordinal));
        await using var connection = await database.Connections.OpenAsync(Token);
        var table = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT sql FROM sqlite_master WHERE name = 'cell_values'", cancellationToken: Token));
        Assert.Contains("WITHOUT ROWID", table, StringComparison.Ordinal);
        Assert.Contains("ck_cell_values_value", table, StringComparison.Ordinal);
        for (var i = 0; i < units.Count; i++)
        {
            Assert.Equal(cells[i], await store.Submissions.GetCellsAsync(stored[i].SubmissionId, stored[i].Version, Token));
        }
    }

    [Theory]
    [InlineData("4.5E-05")]
    [InlineData("0.0000001")]
    [InlineData("1000000000000000")]
    [InlineData("1.2.3")]
    [InlineData("-")]
    [InlineData(" 12")]
    [InlineData("12-")]
    public async Task The_embedded_database_itself_refuses_value_text_that_is_not_a_plain_six_place_decimal(string text)
    {
        await using var database = await (await TestDatabases.SqliteAsync()).MigrateAsync(Token);
        var store = new StorageHarness(database);
        var (period, district, units) = await store.OpenDistrictAsync(1);
        var stored = await store.Submissions.AddVersionAsync(period.Id, units[0], "{}", StorageHarness.Cells(("a", 1m)), Actor.Cli, StorageHarness.AnnounceVersion, Token);
        var rollupId = await store.Rollups.CreateAsync(period.Id, district, Actor.Cli, id => StorageHarness.Announce("Test.RollupRequested", id), Token);
        await using var connection = await database.Connections.OpenAsync(Token);
        var keys = new { SubmissionId = stored.SubmissionId.ToString("D"), stored.Version, RollupId = rollupId.ToString("D"), Text = text };

        var cell = await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO cell_values (submission_id, version, cell_id, value, raw_text, flags) VALUES (@SubmissionId, @Version, 'b', @Text, NULL, 0)",
            keys, cancellationToken: Token)));
        var rollup = await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO rollup_values (rollup_id, cell_id, value) VALUES (@RollupId, 'b', @Text)", keys, cancellationToken: Token)));

        Assert.Contains("ck_cell_values_value", cell.Message, StringComparison.Ordinal);
        Assert.Contains("ck_rollup_values_value", rollup.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("999999999999999.999999")]
    [InlineData("-0.000001")]
    [InlineData("12.0")]
    [InlineData("0")]
    public async Task The_embedded_database_accepts_plain_decimal_text_within_twenty_one_six(string text)
    {
        await using var database = await (await TestDatabases.SqliteAsync()).MigrateAsync(Token);
        var store = new StorageHarness(database);
        var (period, district, _) = await store.OpenDistrictAsync(1);
        var rollupId = await store.Rollups.CreateAsync(period.Id, district, Actor.Cli, id => StorageHarness.Announce("Test.RollupRequested", id), Token);
        await using var connection = await database.Connections.OpenAsync(Token);

        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO rollup_values (rollup_id, cell_id, value) VALUES (@RollupId, 'b', @Text)",
            new { RollupId = rollupId.ToString("D"), Text = text }, cancellationToken: Token));

        Assert.Equal(decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture), Assert.Single((await store.Rollups.GetAsync(rollupId, Token))!.Values).Value);
    }
}

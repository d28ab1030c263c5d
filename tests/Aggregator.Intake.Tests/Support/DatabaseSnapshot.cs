using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Aggregator.Storage;
using Aggregator.Storage.Connections;
using Dapper;

namespace Aggregator.Intake.Tests.Support;

/// <summary>The number of rows in every table of the database, to show that a refused request stored nothing.</summary>
public sealed record DatabaseSnapshot(IReadOnlyDictionary<string, long> RowCounts)
{
    private const string SqliteTablesSql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";

    private const string PostgresTablesSql = """
        SELECT table_name FROM information_schema.tables
        WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
        ORDER BY table_name
        """;

    [SuppressMessage("Security", "CA2100", Justification = "Table names come from the database's own catalog, never from input.")]
    public static async Task<DatabaseSnapshot> TakeAsync(IDbConnectionFactory connections)
    {
        await using var connection = await connections.OpenAsync(CancellationToken.None);
        var tables = await connection.QueryAsync<string>(connections.Provider == DatabaseProvider.Postgres ? PostgresTablesSql : SqliteTablesSql);
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            counts[table] = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM \"{table}\"");
        }

        Assert.Contains("submission_versions", counts.Keys);
        return new DatabaseSnapshot(counts);
    }

    public long this[string table] => RowCounts[table];

    /// <summary>Tables whose row count differs, as <c>table: before → after</c>.</summary>
    public IReadOnlyList<string> DifferencesFrom(DatabaseSnapshot before) =>
        [.. RowCounts.Keys.Union(before.RowCounts.Keys)
            .Where(table => RowCounts.GetValueOrDefault(table, -1) != before.RowCounts.GetValueOrDefault(table, -1))
            .Select(table => $"{table}: {before.RowCounts.GetValueOrDefault(table, -1)} → {RowCounts.GetValueOrDefault(table, -1)}")];
}

internal static class ConnectionExtensions
{
    public static Task<DbConnection> OpenAsync(this IDbConnectionFactory connections) => connections.OpenAsync(CancellationToken.None);
}

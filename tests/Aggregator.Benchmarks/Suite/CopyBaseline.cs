using System.Diagnostics;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Aggregator.Benchmarks.Suite;

/// <summary>
/// What the database alone stores: cell rows written with a binary COPY into a table shaped like
/// <c>cell_values</c> (same columns, primary key and indexes), in transactions of about <see cref="RowsPerCommit"/>
/// rows, so that the figure is the database's rate for rows rather than for commits (group commit is the lever
/// the pipeline would use to approach it).
/// </summary>
public static class CopyBaseline
{
    public const int RowsPerCommit = 10_000;
    private const string CreateSql = "CREATE TABLE bench_cell_values (LIKE cell_values INCLUDING ALL)";
    private const string DropSql = "DROP TABLE IF EXISTS bench_cell_values";
    private const string CopySql = "COPY bench_cell_values (submission_id, version, cell_id, value, raw_text, flags) FROM STDIN (FORMAT BINARY)";

    /// <summary>Rows per second over <paramref name="submissions"/> submissions of <paramref name="cellIds"/> each.</summary>
    public static async Task<double> RowsPerSecondAsync(string connectionString, IReadOnlyList<string> cellIds, int submissions, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await ExecuteAsync(connection, DropSql, ct);
        await ExecuteAsync(connection, CreateSql, ct);
        try
        {
            var random = new Random(19);
            var stopwatch = Stopwatch.StartNew();
            var perCommit = Math.Max(1, RowsPerCommit / cellIds.Count);
            for (var first = 0; first < submissions; first += perCommit)
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await using (var writer = await connection.BeginBinaryImportAsync(CopySql, ct))
                {
                    for (var s = first; s < Math.Min(submissions, first + perCommit); s++)
                    {
                        var submissionId = Guid.NewGuid();
                        foreach (var cellId in cellIds)
                        {
                            await writer.StartRowAsync(ct);
                            await writer.WriteAsync(submissionId, NpgsqlDbType.Uuid, ct);
                            await writer.WriteAsync(1, NpgsqlDbType.Integer, ct);
                            await writer.WriteAsync(cellId, NpgsqlDbType.Varchar, ct);
                            await writer.WriteAsync((decimal)random.Next(0, 100_000), NpgsqlDbType.Numeric, ct);
                            await writer.WriteNullAsync(ct);
                            await writer.WriteAsync(0, NpgsqlDbType.Integer, ct);
                        }
                    }

                    await writer.CompleteAsync(ct);
                }

                await transaction.CommitAsync(ct);
            }

            return (double)submissions * cellIds.Count / stopwatch.Elapsed.TotalSeconds;
        }
        finally
        {
            await ExecuteAsync(connection, DropSql, CancellationToken.None);
        }
    }

    private static Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(sql, cancellationToken: ct));
}

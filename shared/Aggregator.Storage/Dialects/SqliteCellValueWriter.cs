using System.Data.Common;
using System.Globalization;
using Aggregator.Storage.Submissions;
using Microsoft.Data.Sqlite;

namespace Aggregator.Storage.Dialects;

/// <summary>SQLite has no bulk protocol; one prepared statement re-executed inside the transaction is its fastest path.</summary>
public sealed class SqliteCellValueWriter : ICellValueWriter
{
    public const string InsertSql = """
        INSERT INTO cell_values (submission_id, version, cell_id, value, raw_text, flags)
        VALUES ($submission_id, $version, $cell_id, $value, $raw_text, $flags)
        """;

    public async Task WriteAsync(
        DbConnection connection,
        DbTransaction transaction,
        Guid submissionId,
        int version,
        IReadOnlyCollection<CellValue> cells,
        CancellationToken cancellationToken)
    {
        await using var command = (SqliteCommand)connection.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = InsertSql;
        command.Parameters.Add("$submission_id", SqliteType.Text).Value = submissionId.ToString("D");
        command.Parameters.Add("$version", SqliteType.Integer).Value = version;
        var cellId = command.Parameters.Add("$cell_id", SqliteType.Text);
        var value = command.Parameters.Add("$value", SqliteType.Text);
        var rawText = command.Parameters.Add("$raw_text", SqliteType.Text);
        var flags = command.Parameters.Add("$flags", SqliteType.Integer);
        await command.PrepareAsync(cancellationToken);

        foreach (var cell in cells)
        {
            cellId.Value = cell.CellId;
            value.Value = StoredDecimal.ForStorage(cell.Value, cell.CellId) is { } number
                ? number.ToString(CultureInfo.InvariantCulture)
                : DBNull.Value;
            rawText.Value = (object?)cell.RawText ?? DBNull.Value;
            flags.Value = cell.Flags;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}

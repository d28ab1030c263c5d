using System.Buffers;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Aggregator.Storage.Submissions;
using Microsoft.Data.Sqlite;

namespace Aggregator.Storage.Dialects;

/// <summary>
/// SQLite has no bulk protocol. A version's cells travel as one JSON array that SQLite unpacks itself: one statement
/// per version instead of one per cell, so a submission's hundred-odd rows cost one round through the driver.
/// </summary>
public sealed class SqliteCellValueWriter : ICellValueWriter
{
    // Every value travels as JSON text (or null), so what is stored is exactly the decimal text written here.
    public const string InsertSql = """
        INSERT INTO cell_values (submission_id, version, cell_id, value, raw_text, flags)
        SELECT $submission_id, $version, json_extract(c.value, '$[0]'), json_extract(c.value, '$[1]'), json_extract(c.value, '$[2]'), json_extract(c.value, '$[3]')
        FROM json_each($cells) AS c
        """;

    public async Task WriteAsync(
        DbConnection connection,
        DbTransaction transaction,
        Guid submissionId,
        int version,
        IReadOnlyCollection<CellValue> cells,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Count == 0)
        {
            return;
        }

        await using var command = (SqliteCommand)connection.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = InsertSql;
        command.Parameters.Add("$submission_id", SqliteType.Text).Value = submissionId.ToString("D");
        command.Parameters.Add("$version", SqliteType.Integer).Value = version;
        command.Parameters.Add("$cells", SqliteType.Text).Value = ToJson(cells);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string ToJson(IReadOnlyCollection<CellValue> cells)
    {
        var buffer = new ArrayBufferWriter<byte>(cells.Count * 48);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var cell in cells)
            {
                json.WriteStartArray();
                json.WriteStringValue(cell.CellId);
                if (StoredDecimal.ForStorage(cell.Value, cell.CellId) is { } number)
                {
                    json.WriteStringValue(number.ToString(CultureInfo.InvariantCulture));
                }
                else
                {
                    json.WriteNullValue();
                }

                if (cell.RawText is { } raw)
                {
                    json.WriteStringValue(raw);
                }
                else
                {
                    json.WriteNullValue();
                }

                json.WriteNumberValue(cell.Flags);
                json.WriteEndArray();
            }

            json.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

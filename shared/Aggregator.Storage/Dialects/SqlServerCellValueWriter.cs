using System.Data;
using System.Data.Common;
using Aggregator.Storage.Submissions;
using Microsoft.Data.SqlClient;

namespace Aggregator.Storage.Dialects;

/// <summary>SqlBulkCopy inside the caller's transaction, with constraints checked as for ordinary inserts.</summary>
public sealed class SqlServerCellValueWriter : ICellValueWriter
{
    private static readonly string[] Columns = ["submission_id", "version", "cell_id", "value", "raw_text", "flags"];

    public async Task WriteAsync(
        DbConnection connection,
        DbTransaction transaction,
        Guid submissionId,
        int version,
        IReadOnlyCollection<CellValue> cells,
        CancellationToken cancellationToken)
    {
        using var table = new DataTable("cell_values") { Locale = System.Globalization.CultureInfo.InvariantCulture };
        table.Columns.Add("submission_id", typeof(Guid));
        table.Columns.Add("version", typeof(int));
        table.Columns.Add("cell_id", typeof(string));
        table.Columns.Add("value", typeof(decimal));
        table.Columns.Add("raw_text", typeof(string));
        table.Columns.Add("flags", typeof(int));
        foreach (var cell in cells)
        {
            table.Rows.Add(
                submissionId,
                version,
                cell.CellId,
                (object?)StoredDecimal.ForStorage(cell.Value, cell.CellId) ?? DBNull.Value,
                (object?)cell.RawText ?? DBNull.Value,
                cell.Flags);
        }

        using var bulkCopy = new SqlBulkCopy((SqlConnection)connection, SqlBulkCopyOptions.CheckConstraints, (SqlTransaction)transaction)
        {
            DestinationTableName = "cell_values",
            BatchSize = 0,
        };
        foreach (var column in Columns)
        {
            bulkCopy.ColumnMappings.Add(column, column);
        }

        await bulkCopy.WriteToServerAsync(table, cancellationToken);
    }
}

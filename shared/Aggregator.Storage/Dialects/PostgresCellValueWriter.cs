using System.Data.Common;
using Aggregator.Storage.Submissions;
using Npgsql;
using NpgsqlTypes;

namespace Aggregator.Storage.Dialects;

/// <summary>Binary COPY: one round trip for the whole table, or for a whole batch of versions, inside the caller's transaction.</summary>
public sealed class PostgresCellValueWriter : ICellValueWriter
{
    public const string CopySql = "COPY cell_values (submission_id, version, cell_id, value, raw_text, flags) FROM STDIN (FORMAT BINARY)";

    public Task WriteAsync(
        DbConnection connection,
        DbTransaction transaction,
        Guid submissionId,
        int version,
        IReadOnlyCollection<CellValue> cells,
        CancellationToken cancellationToken) =>
        WriteManyAsync(connection, transaction, [(submissionId, version, cells)], cancellationToken);

    public async Task WriteManyAsync(
        DbConnection connection,
        DbTransaction transaction,
        IReadOnlyList<(Guid SubmissionId, int Version, IReadOnlyCollection<CellValue> Cells)> versions,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(versions);
        var npgsql = (NpgsqlConnection)connection;
        await using var importer = await npgsql.BeginBinaryImportAsync(CopySql, cancellationToken);
        foreach (var (submissionId, version, cells) in versions)
        {
            await WriteRowsAsync(importer, submissionId, version, cells, cancellationToken);
        }

        await importer.CompleteAsync(cancellationToken);
    }

    private static async Task WriteRowsAsync(
        NpgsqlBinaryImporter importer, Guid submissionId, int version, IReadOnlyCollection<CellValue> cells, CancellationToken cancellationToken)
    {
        foreach (var cell in cells)
        {
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(submissionId, NpgsqlDbType.Uuid, cancellationToken);
            await importer.WriteAsync(version, NpgsqlDbType.Integer, cancellationToken);
            await importer.WriteAsync(cell.CellId, NpgsqlDbType.Varchar, cancellationToken);
            if (StoredDecimal.ForStorage(cell.Value, cell.CellId) is { } number)
            {
                await importer.WriteAsync(number, NpgsqlDbType.Numeric, cancellationToken);
            }
            else
            {
                await importer.WriteNullAsync(cancellationToken);
            }

            if (cell.RawText is { } raw)
            {
                await importer.WriteAsync(raw, NpgsqlDbType.Text, cancellationToken);
            }
            else
            {
                await importer.WriteNullAsync(cancellationToken);
            }

            await importer.WriteAsync(cell.Flags, NpgsqlDbType.Integer, cancellationToken);
        }
    }
}

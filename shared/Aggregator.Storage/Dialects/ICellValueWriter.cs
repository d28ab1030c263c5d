using System.Data.Common;
using Aggregator.Storage.Submissions;

namespace Aggregator.Storage.Dialects;

/// <summary>Writes a submission version's cells in bulk inside the caller's transaction.</summary>
public interface ICellValueWriter
{
    Task WriteAsync(
        DbConnection connection,
        DbTransaction transaction,
        Guid submissionId,
        int version,
        IReadOnlyCollection<CellValue> cells,
        CancellationToken cancellationToken);

    /// <summary>Writes the cells of several versions; a bulk protocol sends them all in one go.</summary>
    async Task WriteManyAsync(
        DbConnection connection,
        DbTransaction transaction,
        IReadOnlyList<(Guid SubmissionId, int Version, IReadOnlyCollection<CellValue> Cells)> versions,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(versions);
        foreach (var (submissionId, version, cells) in versions)
        {
            await WriteAsync(connection, transaction, submissionId, version, cells, cancellationToken);
        }
    }
}

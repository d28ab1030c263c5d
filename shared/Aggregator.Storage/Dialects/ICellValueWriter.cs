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
}

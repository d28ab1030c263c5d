using System.Data.Common;
using Aggregator.Storage.Outbox;
using Aggregator.Storage.Texts;

namespace Aggregator.Storage.Dialects;

/// <summary>A version ready to be written: its number, what it stores, who submitted it and its outbox rows.</summary>
public sealed record VersionRows(
    Guid SubmissionId,
    int Version,
    Guid PeriodId,
    string UnitCode,
    string Document,
    VersionText? Text,
    Actor SubmittedBy,
    IReadOnlyCollection<OutboxEntry> Announcements,
    int CellCount);

/// <summary>Writes new submission versions' rows (all but the cells) inside the caller's transaction.</summary>
public interface IVersionWriter
{
    /// <summary>
    /// Takes the next version number of each listed unit's submission, creating the submission when it has none:
    /// one number per item, in order, a unit listed twice getting two consecutive numbers.
    /// </summary>
    Task<IReadOnlyList<(Guid SubmissionId, int Version)>> NextVersionsAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<(Guid PeriodId, string UnitCode)> units, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Inserts each version's row, narrative and sentence hashes, outbox rows and <c>submission.received</c> audit row.</summary>
    Task WriteAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<VersionRows> versions, DateTimeOffset at, CancellationToken cancellationToken);
}

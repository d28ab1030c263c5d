using System.Data.Common;
using Aggregator.Storage.Audit;
using Aggregator.Storage.Outbox;
using Aggregator.Storage.Submissions;
using Aggregator.Storage.Texts;
using Dapper;

namespace Aggregator.Storage.Dialects;

/// <summary>
/// A statement per row. SQLite runs in the process, where a statement costs no round trip; SQL Server keeps the
/// statements its tests prove.
/// </summary>
public sealed class StatementVersionWriter(string upsertSubmissionSql) : IVersionWriter
{
    public async Task<IReadOnlyList<(Guid SubmissionId, int Version)>> NextVersionsAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<(Guid PeriodId, string UnitCode)> units, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(units);
        var keys = new List<(Guid, int)>(units.Count);
        foreach (var (periodId, unitCode) in units)
        {
            var key = await connection.QuerySingleAsync<SubmissionKey>(new CommandDefinition(
                upsertSubmissionSql,
                new { Id = Guid.CreateVersion7(), PeriodId = periodId, UnitCode = unitCode, CreatedAt = at },
                transaction,
                cancellationToken: cancellationToken));
            keys.Add((key.Id, key.LatestVersion));
        }

        return keys;
    }

    public async Task WriteAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<VersionRows> versions, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(versions);
        foreach (var row in versions)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                SubmissionRepository.InsertVersionSql,
                new
                {
                    row.SubmissionId,
                    row.Version,
                    Status = SubmissionStatus.Received,
                    row.Document,
                    ReceivedAt = at,
                    SubmittedBy = row.SubmittedBy.Id,
                },
                transaction,
                cancellationToken: cancellationToken));
            if (row.Text is { } text)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    SubmissionTextRepository.InsertSql,
                    new { row.SubmissionId, row.Version, text.Narrative, text.SentenceCount, text.SentenceHashes },
                    transaction,
                    cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition(
                    SubmissionTextRepository.InsertHashSql,
                    text.DistinctHashes().Select(hash => new { row.SubmissionId, row.Version, Hash = hash }).ToList(),
                    transaction,
                    cancellationToken: cancellationToken));
            }

            await OutboxWriter.AddAsync(connection, transaction, row.Announcements, at, cancellationToken);
            await AuditWriter.AppendAsync(connection, transaction, row.SubmittedBy, SubmissionRepository.ReceivedAction, "submission", row.SubmissionId.ToString(),
                SubmissionRepository.ReceivedDetails(row), at, cancellationToken);
        }
    }

    private sealed record SubmissionKey
    {
        public required Guid Id { get; init; }

        public required int LatestVersion { get; init; }
    }
}

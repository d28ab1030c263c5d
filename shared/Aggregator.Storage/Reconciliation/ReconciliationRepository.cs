using Aggregator.Storage.Connections;
using Aggregator.Storage.Outbox;
using Dapper;

namespace Aggregator.Storage.Reconciliation;

/// <summary>A stored submission version that is still waiting for its validation.</summary>
public sealed record StalledVersion(Guid SubmissionId, int Version, Guid PeriodId, string UnitCode);

/// <summary>A rollup still waiting for its sums (<c>requested</c>) or its report (<c>rendering</c>).</summary>
public sealed record StalledRollup(Guid RollupId, Guid PeriodId, string UnitCode, string Status);

/// <summary>
/// Finds records that have waited too long for their next step and announces them again. Several processes may
/// run this at once: an announcement is claimed by a guarded update of the record's <c>announced_at</c>, so only
/// the process whose update changes the row adds the outbox row, and a record is announced at most once per wait.
/// </summary>
public sealed class ReconciliationRepository(IDbConnectionFactory connections, StorageClock clock)
{
    private const string SelectStalledVersionsSql = """
        SELECT v.submission_id, v.version, s.period_id, s.unit_code
        FROM submission_versions v
        JOIN submissions s ON s.id = v.submission_id
        WHERE v.status = 'received' AND v.received_at < @WaitingSince
          AND (v.announced_at IS NULL OR v.announced_at < @WaitingSince)
        ORDER BY v.received_at
        """;

    private const string ClaimVersionSql = """
        UPDATE submission_versions SET announced_at = @AnnouncedAt
        WHERE submission_id = @SubmissionId AND version = @Version AND status = 'received'
          AND (announced_at IS NULL OR announced_at < @WaitingSince)
        """;

    // A rendering rollup has waited since its sums were stored, a requested one since it was requested.
    private const string SelectStalledRollupsSql = """
        SELECT id AS rollup_id, period_id, unit_code, status
        FROM rollups
        WHERE ((status = 'requested' AND requested_at < @WaitingSince)
            OR (status = 'rendering' AND computed_at < @WaitingSince))
          AND (announced_at IS NULL OR announced_at < @WaitingSince)
        ORDER BY requested_at
        """;

    private const string ClaimRollupSql = """
        UPDATE rollups SET announced_at = @AnnouncedAt
        WHERE id = @RollupId AND status = @Status
          AND (announced_at IS NULL OR announced_at < @WaitingSince)
        """;

    /// <summary>Versions still <c>received</c> that were stored, and last announced, before <paramref name="waitingSince"/>; oldest first.</summary>
    public async Task<IReadOnlyList<StalledVersion>> FindStalledVersionsAsync(DateTimeOffset waitingSince, int max, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<VersionRow>(new CommandDefinition(
            SelectStalledVersionsSql, new { WaitingSince = StorageClock.Truncate(waitingSince) }, cancellationToken: cancellationToken));
        return [.. rows.Take(max).Select(row => new StalledVersion(row.SubmissionId, row.Version, row.PeriodId, row.UnitCode))];
    }

    /// <summary>Rollups requested or rendering since before <paramref name="waitingSince"/>, and not announced since; oldest first.</summary>
    public async Task<IReadOnlyList<StalledRollup>> FindStalledRollupsAsync(DateTimeOffset waitingSince, int max, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<RollupRow>(new CommandDefinition(
            SelectStalledRollupsSql, new { WaitingSince = StorageClock.Truncate(waitingSince) }, cancellationToken: cancellationToken));
        return [.. rows.Take(max).Select(row => new StalledRollup(row.RollupId, row.PeriodId, row.UnitCode, row.Status))];
    }

    /// <summary>Claims the version and adds <paramref name="announcements"/> to the outbox, in one transaction.</summary>
    /// <returns>False, adding nothing, when the version was validated or announced by another process meanwhile.</returns>
    public Task<bool> ReannounceAsync(
        StalledVersion version, DateTimeOffset waitingSince, IReadOnlyCollection<OutboxEntry> announcements, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        return ClaimAndAnnounceAsync(
            ClaimVersionSql, new { version.SubmissionId, version.Version }, waitingSince, announcements, cancellationToken);
    }

    /// <summary>Claims the rollup in its current state and adds <paramref name="announcements"/> to the outbox, in one transaction.</summary>
    /// <returns>False, adding nothing, when the rollup moved on or was announced by another process meanwhile.</returns>
    public Task<bool> ReannounceAsync(
        StalledRollup rollup, DateTimeOffset waitingSince, IReadOnlyCollection<OutboxEntry> announcements, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rollup);
        return ClaimAndAnnounceAsync(
            ClaimRollupSql, new { rollup.RollupId, rollup.Status }, waitingSince, announcements, cancellationToken);
    }

    private async Task<bool> ClaimAndAnnounceAsync(
        string claimSql, object keys, DateTimeOffset waitingSince, IReadOnlyCollection<OutboxEntry> announcements, CancellationToken cancellationToken)
    {
        var at = clock.UtcNow();
        var parameters = new DynamicParameters(keys);
        parameters.Add("AnnouncedAt", at);
        parameters.Add("WaitingSince", StorageClock.Truncate(waitingSince));
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteAsync(new CommandDefinition(claimSql, parameters, transaction, cancellationToken: cancellationToken)) == 0)
        {
            return false;
        }

        await OutboxWriter.AddAsync(connection, transaction, announcements, at, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private sealed record VersionRow
    {
        public required Guid SubmissionId { get; init; }

        public required int Version { get; init; }

        public required Guid PeriodId { get; init; }

        public required string UnitCode { get; init; }
    }

    private sealed record RollupRow
    {
        public required Guid RollupId { get; init; }

        public required Guid PeriodId { get; init; }

        public required string UnitCode { get; init; }

        public required string Status { get; init; }
    }
}

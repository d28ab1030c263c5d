using Aggregator.Storage.Connections;
using Aggregator.Storage.Dialects;
using Dapper;

namespace Aggregator.Storage.Audit;

public sealed record AuditRecord
{
    public required long Id { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>An API key's id, <c>cli</c> or <c>system</c>.</summary>
    public required string Actor { get; init; }

    public string? ActorRole { get; init; }

    /// <summary>What happened, e.g. <c>submission.received</c>.</summary>
    public required string Action { get; init; }

    public required string TargetType { get; init; }

    public required string TargetId { get; init; }

    /// <summary>Details as JSON text.</summary>
    public string? Details { get; init; }
}

/// <summary>A page of the audit log, newest first, with the number of matching rows.</summary>
public sealed record AuditPage(IReadOnlyList<AuditRecord> Items, long Total);

public sealed class AuditLogRepository(IDbConnectionFactory connections, SqlDialect dialect, StorageClock clock)
{
    private const string CountSql = """
        SELECT COUNT(*) FROM audit_log
        WHERE (@TargetType IS NULL OR target_type = @TargetType) AND (@TargetId IS NULL OR target_id = @TargetId)
        """;

    /// <param name="details">Serialised to JSON, unless it is a string already.</param>
    public async Task AppendAsync(Actor actor, string action, string targetType, string targetId, object? details, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await AuditWriter.AppendAsync(connection, null, actor, action, targetType, targetId, details, clock.UtcNow(), cancellationToken);
    }

    /// <summary>Rows newest first, optionally only those about one target type and id.</summary>
    public async Task<AuditPage> ListAsync(int skip, int take, string? targetType, string? targetId, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(take);
        var filter = new { Skip = skip, Take = take, TargetType = targetType, TargetId = targetId };
        await using var connection = await connections.OpenAsync(cancellationToken);
        var items = await connection.QueryAsync<AuditRecord>(new CommandDefinition(dialect.SelectAuditPageSql, filter, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(CountSql, filter, cancellationToken: cancellationToken));
        return new AuditPage(items.AsList(), total);
    }
}

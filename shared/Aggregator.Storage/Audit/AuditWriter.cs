using System.Data.Common;
using System.Text.Json;
using Dapper;

namespace Aggregator.Storage.Audit;

internal static class AuditWriter
{
    public const string InsertSql = """
        INSERT INTO audit_log (occurred_at, actor, actor_role, action, target_type, target_id, details)
        VALUES (@OccurredAt, @Actor, @ActorRole, @Action, @TargetType, @TargetId, @Details)
        """;

    public static Task AppendAsync(
        DbConnection connection,
        DbTransaction? transaction,
        Actor actor,
        string action,
        string targetType,
        string targetId,
        object? details,
        DateTimeOffset occurredAt,
        CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            InsertSql,
            new
            {
                OccurredAt = occurredAt,
                Actor = actor.Id,
                ActorRole = actor.Role,
                Action = action,
                TargetType = targetType,
                TargetId = targetId,
                Details = details is null ? null : details as string ?? JsonSerializer.Serialize(details, JsonSerializerOptions.Web),
            },
            transaction,
            cancellationToken: cancellationToken));
}

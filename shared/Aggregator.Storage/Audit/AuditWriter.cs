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
                Details = Details(details),
            },
            transaction,
            cancellationToken: cancellationToken));

    /// <summary>The stored text of an audit row's details: text as given, anything else as web-cased JSON.</summary>
    public static string? Details(object? details) =>
        details is null ? null : details as string ?? JsonSerializer.Serialize(details, JsonSerializerOptions.Web);
}

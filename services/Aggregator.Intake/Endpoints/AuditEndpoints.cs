using System.Text.Json;
using Aggregator.Application.Audit;
using Aggregator.Intake.Authentication;
using Aggregator.Intake.Problems;
using Aggregator.Storage.Audit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Aggregator.Intake.Endpoints;

/// <summary><c>GET /audit</c>: every state change, newest first, for the district office.</summary>
internal static class AuditEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/audit", ListAsync)
            .WithTags("审计")
            .WithName("ListAudit")
            .WithSummary("审计日志（最新的在前）")
            .RequireAuthorization(IntakePolicies.Admin)
            .Produces<AuditPageResponse>()
            .ProducesApiProblems(400);
    }

    private static async Task<IResult> ListAsync(
        AuditQuery audit,
        CancellationToken cancellationToken,
        int? page,
        [FromQuery(Name = "page_size")] int? pageSize,
        [FromQuery(Name = "target_type")] string? targetType,
        [FromQuery(Name = "target_id")] string? targetId)
    {
        var number = page ?? 1;
        var size = pageSize ?? 50;
        var result = await audit.ListAsync(number, size, targetType, targetId, cancellationToken);
        return result.IsSuccess
            ? TypedResults.Ok(new AuditPageResponse(number, size, result.Value.Total, [.. result.Value.Items.Select(AuditEntryResponse.From)]))
            : result.Problem.ToResult();
    }
}

public sealed record AuditPageResponse(int Page, int PageSize, long Total, IReadOnlyList<AuditEntryResponse> Items);

public sealed record AuditEntryResponse(
    long Id, DateTimeOffset OccurredAt, string Actor, string? ActorRole, string Action, string TargetType, string TargetId, JsonElement? Details)
{
    public static AuditEntryResponse From(AuditRecord record) => new(
        record.Id, record.OccurredAt, record.Actor, record.ActorRole, record.Action, record.TargetType, record.TargetId, ParseDetails(record.Details));

    private static JsonElement? ParseDetails(string? details)
    {
        if (details is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(details);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(details);
        }
    }
}

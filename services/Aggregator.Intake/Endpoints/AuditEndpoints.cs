using System.Text.Json;
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
    public const int MaxPageSize = 200;

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
        AuditLogRepository audit,
        CancellationToken cancellationToken,
        int? page,
        [FromQuery(Name = "page_size")] int? pageSize,
        [FromQuery(Name = "target_type")] string? targetType,
        [FromQuery(Name = "target_id")] string? targetId)
    {
        var number = page ?? 1;
        var size = pageSize ?? 50;
        if (number < 1 || size is < 1 or > MaxPageSize)
        {
            return new ProblemResult(ApiProblem.InvalidRequest(
                $"page 应不小于 1，page_size 应在 1–{MaxPageSize} 之间。",
                new ApiFieldError(number < 1 ? "page" : "page_size", "超出范围")));
        }

        var result = await audit.ListAsync((number - 1) * size, size, targetType, targetId, cancellationToken);
        return TypedResults.Ok(new AuditPageResponse(number, size, result.Total, [.. result.Items.Select(AuditEntryResponse.From)]));
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

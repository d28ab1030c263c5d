using Aggregator.Application.Security;
using Aggregator.Application.Units;
using Aggregator.Intake.Authentication;
using Aggregator.Intake.Json;
using Aggregator.Intake.Problems;
using Aggregator.Intake.Web;
using Aggregator.Storage.ApiKeys;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Aggregator.Intake.Endpoints;

/// <summary><c>POST /keys</c>, <c>GET /keys</c>, <c>DELETE /keys/{id}</c>: the district office manages API keys.</summary>
internal static class KeysEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/keys").WithTags("密钥").RequireAuthorization(IntakePolicies.Admin);

        keys.MapPost("", IssueAsync)
            .WithName("IssueKey")
            .WithSummary("签发 API 密钥（密钥只显示这一次）")
            .Accepts<IssueKeyRequest>("application/json")
            .Produces<IssuedKeyResponse>(StatusCodes.Status201Created)
            .ProducesApiProblems(400, 413, 415);

        keys.MapPost("/bulk", IssueBulkAsync)
            .WithName("IssueUnitKeys")
            .WithSummary("为一个填报期的全部填报单位（或所列单位）各签发一个单位密钥；Accept: text/csv 时返回带 BOM 的 CSV（密钥只显示这一次）")
            .Accepts<IssueUnitKeysRequest>("application/json")
            .Produces<IssuedUnitKeysResponse>(StatusCodes.Status201Created)
            .AddOpenApiOperationTransformer(AddCsvResponse)
            .ProducesApiProblems(400, 404, 413, 415);

        keys.MapGet("", ListAsync)
            .WithName("ListKeys")
            .WithSummary("列出 API 密钥（不含密钥本身）")
            .Produces<IReadOnlyList<KeyResponse>>();

        keys.MapDelete("/{id}", RevokeAsync)
            .WithName("RevokeKey")
            .WithSummary("吊销 API 密钥")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesApiProblems(400, 404);
    }

    // A second Produces for the same status would replace the JSON body's description, so the CSV is added beside it.
    private static Task AddCsvResponse(Microsoft.OpenApi.OpenApiOperation operation, Microsoft.AspNetCore.OpenApi.OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.Responses?.TryGetValue("201", out var created) == true && created.Content is { } content)
        {
            content["text/csv"] = new Microsoft.OpenApi.OpenApiMediaType { Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String } };
        }

        return Task.CompletedTask;
    }

    private static async Task<IResult> IssueAsync(HttpContext context, Caller caller, JsonRequestReader reader, ApiKeyRegistry registry)
    {
        var read = await reader.ReadAsync<IssueKeyRequest>(context);
        if (read.Problem is not null)
        {
            return new ProblemResult(read.Problem);
        }

        var request = read.Value!;
        if (request.Role is null)
        {
            return new ProblemResult(ApiProblem.InvalidRequest("缺少字段 role。", new ApiFieldError("role", "应为 admin、unit 或 ops")));
        }

        if (request.UnitCode is not null && !UnitCodes.IsValid(request.UnitCode))
        {
            return new ProblemResult(ApiProblem.InvalidUnitCode(request.UnitCode));
        }

        var label = string.IsNullOrWhiteSpace(request.Label) ? DefaultLabel(request) : request.Label;
        try
        {
            var issued = await registry.IssueAsync(new NewApiKey(request.Role, request.UnitCode, label), caller.Actor, context.RequestAborted);
            return TypedResults.Created((string?)null, new IssuedKeyResponse(
                issued.Stored.Id, issued.Key, issued.Stored.KeyPrefix, issued.Stored.Role, issued.Stored.UnitCode, issued.Stored.Label, issued.Stored.CreatedAt));
        }
        catch (InvalidApiKeyRequestException exception)
        {
            var field = exception.Field switch
            {
                ApiKeyRequestField.Role => "role",
                ApiKeyRequestField.UnitCode => "unit_code",
                _ => "label",
            };
            return new ProblemResult(ApiProblem.InvalidRequest(exception.Message, new ApiFieldError(field, exception.Message)));
        }
    }

    private static async Task<IResult> IssueBulkAsync(HttpContext context, Caller caller, JsonRequestReader reader, UnitKeyBatch batch, TimeProvider clock)
    {
        var read = await reader.ReadAsync<IssueUnitKeysRequest>(context);
        if (read.Problem is not null)
        {
            return new ProblemResult(read.Problem);
        }

        var request = read.Value!;
        var issued = await batch.IssueAsync(request.PeriodId, request.UnitCodes, request.Label, caller.Actor, context.RequestAborted);
        if (!issued.IsSuccess)
        {
            return issued.Problem.ToResult();
        }

        // The keys exist nowhere else: no cache may keep the answer.
        context.Response.Headers.CacheControl = "no-store";
        if (context.Request.Headers.Accept.Any(accept => accept?.Contains("text/csv", StringComparison.OrdinalIgnoreCase) == true))
        {
            context.Response.StatusCode = StatusCodes.Status201Created;
            return TypedResults.File(UnitKeysCsv.Write(issued.Value), UnitKeysCsv.ContentType, UnitKeysCsv.FileName(clock.GetUtcNow()));
        }

        return TypedResults.Created((string?)null, new IssuedUnitKeysResponse(issued.Value.Count, [.. issued.Value.Select(key => new IssuedUnitKeyResponse(
            key.UnitCode, key.UnitName, key.Issued.Stored.Id, key.Issued.Key, key.Issued.Stored.KeyPrefix, key.Issued.Stored.Label))]));
    }

    private static async Task<IResult> ListAsync(ApiKeyRegistry registry, CancellationToken cancellationToken)
    {
        var keys = await registry.ListAsync(cancellationToken);
        return TypedResults.Ok(keys.Select(KeyResponse.From).ToList());
    }

    private static async Task<IResult> RevokeAsync(Guid id, Caller caller, ApiKeyRegistry registry, CancellationToken cancellationToken) =>
        await registry.RevokeAsync(id, caller.Actor, cancellationToken)
            ? TypedResults.NoContent()
            : new ProblemResult(ApiProblem.NotFound($"有效的密钥 {id}（不存在或已被吊销）"));

    private static string DefaultLabel(IssueKeyRequest request) =>
        request.UnitCode is null ? request.Role! : $"{request.Role}:{request.UnitCode}";
}

public sealed record IssueKeyRequest
{
    /// <summary><c>admin</c>, <c>unit</c> or <c>ops</c>.</summary>
    public string? Role { get; init; }

    /// <summary>The unit a <c>unit</c> key reports for; absent for admin and ops keys.</summary>
    public string? UnitCode { get; init; }

    /// <summary>Who or what the key is for; defaults to the role and unit.</summary>
    public string? Label { get; init; }
}

public sealed record IssueUnitKeysRequest
{
    /// <summary>Every unit this period expects gets a key; or leave it out and list <see cref="UnitCodes"/>.</summary>
    public Guid? PeriodId { get; init; }

    /// <summary>The registered units that get a key, when no period is named.</summary>
    public List<string>? UnitCodes { get; init; }

    /// <summary>The keys' label; defaults to the period's year.</summary>
    public string? Label { get; init; }
}

/// <summary>The keys of a batch: each <c>key</c> appears in this response only.</summary>
public sealed record IssuedUnitKeysResponse(int Count, IReadOnlyList<IssuedUnitKeyResponse> Keys);

public sealed record IssuedUnitKeyResponse(string UnitCode, string UnitName, Guid Id, string Key, string Prefix, string Label);

/// <summary>A newly issued key: <c>key</c> appears in this response only.</summary>
public sealed record IssuedKeyResponse(Guid Id, string Key, string Prefix, string Role, string? UnitCode, string Label, DateTimeOffset CreatedAt);

public sealed record KeyResponse(Guid Id, string Prefix, string Role, string? UnitCode, string Label, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public static KeyResponse From(ApiKey key) => new(key.Id, key.KeyPrefix, key.Role, key.UnitCode, key.Label, key.CreatedAt, key.RevokedAt);
}

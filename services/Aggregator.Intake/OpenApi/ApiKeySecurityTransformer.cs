using Aggregator.Intake.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Aggregator.Intake.OpenApi;

/// <summary>
/// Declares the API-key security schemes (<c>Authorization: Bearer</c> and <c>X-Api-Key</c>) and applies them, with
/// the endpoint's policies, to every operation that requires authorisation; documents <c>Idempotency-Key</c> on POSTs.
/// </summary>
internal sealed class ApiKeySecurityTransformer : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public const string BearerScheme = "bearer";
    public const string HeaderScheme = "api_key";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "政府信息公开工作年度报告汇总 API",
            Version = "v1",
            Description = "各单位提交年度报告统计表，区政府办公室登记单位、开启填报期、查看完成情况并生成汇总报告。"
                + "所有错误均以 RFC 9457 problem details（application/problem+json）返回，含稳定的 code。",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "agk_<prefix>_<secret>",
            Description = "API 密钥：Authorization: Bearer agk_…",
        };
        document.Components.SecuritySchemes[HeaderScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthenticationHandler.ApiKeyHeader,
            Description = "API 密钥：X-Api-Key: agk_…",
        };
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (string.Equals(context.Description.HttpMethod, "POST", StringComparison.OrdinalIgnoreCase))
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "Idempotency-Key",
                In = ParameterLocation.Header,
                Required = false,
                Description = "幂等键（1–255 个可见 ASCII 字符，建议 UUID）：同一密钥、同一键、同一请求重放首次成功的响应；不同请求返回 409 idempotency_key_reused；首次请求仍在处理时返回 409 conflict 并带 Retry-After。",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 255 },
            });
        }

        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            return Task.CompletedTask;
        }

        var policies = metadata.OfType<IAuthorizeData>().Select(data => data.Policy).OfType<string>().Distinct().ToList();
        if (policies.Count == 0)
        {
            return Task.CompletedTask;
        }

        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(HeaderScheme, context.Document)] = [] });
        var extensions = operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        extensions["x-aggregator-policies"] = new JsonNodeExtension(new System.Text.Json.Nodes.JsonArray([.. policies.Select(p => System.Text.Json.Nodes.JsonValue.Create(p))]));
        return Task.CompletedTask;
    }
}

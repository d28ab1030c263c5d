using Aggregator.Application;
using Aggregator.Application.Security;
using Aggregator.Intake.Authentication;
using Aggregator.Intake.Endpoints;
using Aggregator.Intake.Hosting;
using Aggregator.Intake.Idempotency;
using Aggregator.Intake.Json;
using Aggregator.Intake.OpenApi;
using Aggregator.Intake.Problems;
using Aggregator.Intake.RateLimiting;
using Aggregator.Intake.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace Aggregator.Intake;

public static class IntakeApiExtensions
{
    /// <summary>
    /// The intake API's services: API-key authentication and the role policies, problem details for every failure,
    /// request limits, per-key rate limiting, idempotency, OpenAPI, the bootstrap admin key, and the use cases it calls.
    /// Needs the storage layer (<c>AddAggregatorStorage</c>) and, for submissions, the outbox relay.
    /// </summary>
    public static IServiceCollection AddIntakeApi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<IntakeOptions>().Bind(configuration.GetSection(IntakeOptions.SectionName)).ValidateOnStart();
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IntakeOptions>, IntakeOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>());
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<IntakeOptions>>(
            (kestrel, intake) => kestrel.Limits.MaxRequestBodySize = intake.Value.MaxRequestBodyBytes);
        services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(json => ApiJson.Configure(json.SerializerOptions));

        services.AddAggregatorApplication(configuration);
        services.AddApiKeySecurity();
        services.TryAddSingleton<JsonRequestReader>();
        services.TryAddSingleton<WordIntake>();
        services.TryAddSingleton<BatchIntake>();

        // Anything that writes through IProblemDetailsService rather than ProblemWriter still gets a code and a trace id.
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
        {
            var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
            context.ProblemDetails.Extensions.TryAdd("code", StatusCodeProblems.For(status).Code);
            context.ProblemDetails.Extensions.TryAdd("traceId", System.Diagnostics.Activity.Current?.Id ?? context.HttpContext.TraceIdentifier);
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();

        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization(IntakePolicies.Add);
        services.AddRateLimiter(KeyRateLimiting.Configure);

        services.AddOpenApi("v1", openApi =>
        {
            openApi.AddDocumentTransformer<ApiKeySecurityTransformer>();
            openApi.AddOperationTransformer<ApiKeySecurityTransformer>();
            openApi.AddOperationTransformer<ResponseExamples>();
        });

        services.AddWebPages();
        services.AddHostedService<BootstrapAdminKey>();
        return services;
    }

    /// <summary>
    /// Adds the intake middleware (problem details, security headers, authentication, rate limiting, authorisation,
    /// idempotency) and maps the API under <c>/api/v1</c>, the OpenAPI document at <c>/openapi/v1.json</c> and the
    /// interactive reference at <c>/scalar</c>, and the web pages (signed in at <c>/signin</c>).
    /// </summary>
    public static WebApplication MapIntakeApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.UseExceptionHandler();
        app.UseStatusCodePages(context => ProblemWriter.WriteAsync(context.HttpContext, StatusCodeProblems.For(context.HttpContext.Response.StatusCode)));
        // Page routes answer the site's own HTML page instead; this branch runs inside the handlers above, so it answers first.
        app.UseWhen(context => WebPages.IsPageRequest(context.Request.Path), pages => pages
            .UseExceptionHandler(WebPages.ErrorPath + "/500")
            .UseStatusCodePagesWithReExecute(WebPages.ErrorPath + "/{0}"));
        // Routing runs inside the error handlers so that a re-executed error page is routed afresh (a branch of a
        // WebApplication gets no routing of its own).
        app.UseRouting();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseMiddleware<IdempotencyMiddleware>();

        var api = app.MapGroup(IntakeRoutes.Prefix)
            .RequireAuthorization(IntakePolicies.AnyKey)
            .ProducesApiProblems(
                StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests,
                StatusCodes.Status500InternalServerError);
        UnitsEndpoints.Map(api);
        PeriodsEndpoints.Map(api);
        ReportTextEndpoints.Map(api);
        SubmissionsEndpoints.Map(api);
        TemplateEndpoints.Map(api);
        WordSubmissionsEndpoints.Map(api);
        BatchSubmissionsEndpoints.Map(api);
        RollupsEndpoints.Map(api);
        KeysEndpoints.Map(api);
        AuditEndpoints.Map(api);
        OpsEndpoints.Map(api);
        ReviewEndpoints.Map(api);

        app.MapWebPages();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference(IntakeRoutes.ApiReference, scalar => scalar
            .WithTitle("政府信息公开工作年度报告汇总 API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")).AllowAnonymous();
        return app;
    }
}

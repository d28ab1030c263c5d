using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Aggregator.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// OpenTelemetry traces (ASP.NET Core) and metrics (ASP.NET Core, runtime) with a Prometheus endpoint, plus the
    /// sources other libraries register (the bus adds its own), an OTLP exporter when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, and the health checks.
    /// </summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsInfrastructureRequest(context)));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            telemetry.UseOtlpExporter();

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [HealthCheckTags.Live]);

        return builder;
    }

    /// <summary>
    /// Adds a readiness check that runs <paramref name="probe"/>: it should throw when the database cannot be used.
    /// The storage layer supplies it (e.g. open a connection and run <c>SELECT 1</c>).
    /// </summary>
    public static IServiceCollection AddDatabaseReadiness(
        this IServiceCollection services, Func<IServiceProvider, CancellationToken, Task> probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            "database",
            provider => new DatabaseReadinessCheck(provider, probe),
            HealthStatus.Unhealthy,
            [HealthCheckTags.Ready],
            TimeSpan.FromSeconds(5)));
        return services;
    }

    /// <summary>Maps <c>/health/live</c>, <c>/health/ready</c> (bus, database) and the Prometheus <c>/metrics</c>.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.MapHealthChecks(LivePath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(HealthCheckTags.Live),
            ResponseWriter = HealthReportJsonWriter.WriteAsync,
        });
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(HealthCheckTags.Ready),
            ResponseWriter = HealthReportJsonWriter.WriteAsync,
            // A bus with a faulted endpoint reports Degraded; a process that cannot consume must leave the load balancer.
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }

    // Probes and scrapes every few seconds would drown the traces that matter.
    private static bool IsInfrastructureRequest(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
        || context.Request.Path.StartsWithSegments(MetricsPath, StringComparison.OrdinalIgnoreCase);
}

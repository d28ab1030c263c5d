using System.Text.Json;
using Aggregator.Redaction;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aggregator.ServiceDefaults;

/// <summary>Writes a health report as JSON, one entry per check, so ops can see which dependency is down.</summary>
internal static class HealthReportJsonWriter
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var body = new
        {
            status = report.Status.ToString(),
            durationMs = report.TotalDuration.TotalMilliseconds,
            checks = report.Entries.Select(entry => new
            {
                name = entry.Key,
                status = entry.Value.Status.ToString(),
                description = SecretRedactor.Redact(entry.Value.Description),
                durationMs = entry.Value.Duration.TotalMilliseconds,
                tags = entry.Value.Tags,
            }),
        };

        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, body, JsonOptions, context.RequestAborted);
    }
}

using System.Globalization;
using System.Threading.RateLimiting;
using Aggregator.Intake.Authentication;
using Aggregator.Intake.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aggregator.Intake.RateLimiting;

/// <summary>
/// A fixed window of requests per API key (per client address for requests without a valid key), over the API only;
/// refusals are 429 <c>rate_limited</c> problems with <c>Retry-After</c>.
/// </summary>
internal static class KeyRateLimiting
{
    public static void Configure(RateLimiterOptions limiter)
    {
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            if (!context.Request.Path.StartsWithSegments(IntakeRoutes.Prefix, StringComparison.OrdinalIgnoreCase))
            {
                return RateLimitPartition.GetNoLimiter("");
            }

            var settings = context.RequestServices.GetRequiredService<IOptions<IntakeOptions>>().Value.RateLimit;
            return RateLimitPartition.GetFixedWindowLimiter(PartitionOf(context), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = settings.PermitLimit,
                Window = settings.Window,
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });
        limiter.OnRejected = async (rejected, _) =>
        {
            var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                : 1;
            rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await ProblemWriter.WriteAsync(rejected.HttpContext, StatusCodeProblems.RateLimited());
        };
    }

    private static string PartitionOf(HttpContext context) =>
        Caller.From(context.User) is { } caller
            ? "key:" + caller.KeyId
            : "address:" + context.Connection.RemoteIpAddress;
}

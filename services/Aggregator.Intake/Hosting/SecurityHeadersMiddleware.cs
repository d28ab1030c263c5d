using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Aggregator.Intake.Hosting;

/// <summary>
/// <c>X-Content-Type-Options: nosniff</c> on every response, and <c>Cache-Control: no-store</c> on API responses,
/// which are per key and may carry secrets (an issued key) or unit data. The web pages also get a policy that lets
/// them load only this server's own stylesheet and script, post only here, and never be framed.
/// </summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public const string PageContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        var isApi = path.StartsWithSegments(IntakeRoutes.Prefix, StringComparison.OrdinalIgnoreCase);
        var isPage = !isApi
            && !path.StartsWithSegments(IntakeRoutes.ApiReference, StringComparison.OrdinalIgnoreCase)
            && !path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase);
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            if (isApi && !headers.ContainsKey(HeaderNames.CacheControl))
            {
                headers.CacheControl = "no-store";
            }

            if (isPage && !headers.ContainsKey(HeaderNames.ContentSecurityPolicy))
            {
                headers.ContentSecurityPolicy = PageContentSecurityPolicy;
                headers.XFrameOptions = "DENY";
                headers.Append("Referrer-Policy", "same-origin");
                if (!headers.ContainsKey(HeaderNames.CacheControl))
                {
                    headers.CacheControl = "no-store";
                }
            }

            return Task.CompletedTask;
        });
        return next(context);
    }
}

using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Aggregator.Application.Reports;
using Aggregator.Application.Security;
using Aggregator.Intake.Endpoints;
using Aggregator.Intake.Authentication;
using Aggregator.Storage;
using Aggregator.Storage.ApiKeys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.WebEncoders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Net.Http.Headers;

namespace Aggregator.Intake.Web;

/// <summary>
/// The web pages: Razor Pages rendered on the server, signed in by a session cookie that carries a protected ticket
/// (key id, role, unit; never the key itself), or by the same <c>Authorization: Bearer</c> key the API takes.
/// </summary>
public static class WebPages
{
    public const string CookieScheme = "PageSession";
    public const string Scheme = "Pages";
    public const string CookieName = "aggregator_session";

    public const string AdminPolicy = "pages_admin";
    public const string UnitPolicy = "pages_unit";
    public const string OpsPolicy = "pages_ops";

    internal const string KeyPrefixClaim = "aggregator:key_prefix";

    /// <summary>The HTML error page, <c>/error/{status}</c>.</summary>
    internal const string ErrorPath = "/error";

    /// <summary>A request for a page (or the pages' assets and downloads) rather than the API or its documents.</summary>
    internal static bool IsPageRequest(PathString path) =>
        !path.StartsWithSegments(IntakeRoutes.Prefix, StringComparison.OrdinalIgnoreCase)
        && !path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase)
        && !path.StartsWithSegments(IntakeRoutes.ApiReference, StringComparison.OrdinalIgnoreCase);

    internal static IServiceCollection AddWebPages(this IServiceCollection services)
    {
        services.AddRazorPages(pages =>
        {
            pages.Conventions.AuthorizeFolder("/Admin", AdminPolicy);
            pages.Conventions.AuthorizeFolder("/Unit", UnitPolicy);
            pages.Conventions.AuthorizeFolder("/Ops", OpsPolicy);
        })
            // Hosts that are not web projects (the CLI's serve) do not list this library as an application part.
            .AddApplicationPart(typeof(WebPages).Assembly);
        services.TryAddScoped<SubmissionPages>();
        // The Word upload page keeps the uploaded report for its confirm (see UnitPeriodModel.OnPostWordAsync).
        services.AddMemoryCache();
        // Razor still escapes markup characters; Chinese text is written as itself rather than as character references.
        services.Configure<WebEncoderOptions>(encoder => encoder.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.Configure<CookieTempDataProviderOptions>(tempData =>
        {
            tempData.Cookie.Name = "aggregator_notice";
            tempData.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict;
            tempData.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "aggregator_antiforgery";
            antiforgery.Cookie.HttpOnly = true;
            antiforgery.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            antiforgery.FormFieldName = "__csrf";
        });

        services.AddAuthentication()
            .AddCookie(CookieScheme, cookie =>
            {
                cookie.Cookie.Name = CookieName;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.Cookie.IsEssential = true;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
                cookie.SlidingExpiration = true;
                cookie.LoginPath = "/signin";
                cookie.LogoutPath = "/signout";
                cookie.AccessDeniedPath = "/denied";
                cookie.ReturnUrlParameter = "returnTo";
                cookie.Events.OnValidatePrincipal = ValidateSessionAsync;
            })
            .AddPolicyScheme(Scheme, "API key or page session", policy => policy.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(HeaderNames.Authorization) || context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.ApiKeyHeader)
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : CookieScheme);

        services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, policy => Signed(policy).RequireRole(ApiKeyRole.Admin))
            .AddPolicy(UnitPolicy, policy => Signed(policy).RequireRole(ApiKeyRole.Unit))
            .AddPolicy(OpsPolicy, policy => Signed(policy).RequireRole(ApiKeyRole.Ops, ApiKeyRole.Admin));
        return services;
    }

    internal static void MapWebPages(this WebApplication app)
    {
        app.MapRazorPages();
        PageAssets.Map(app);
        // The same download as GET /api/v1/rollups/{id}/report, for a signed-in office (the API takes no cookie).
        app.MapGet("/admin/rollups/{id:guid}/report/{format}", (Guid id, string format, string? edition, HttpContext context, ReportQuery reports) =>
                RollupsEndpoints.ReportAsync(id, format, edition, context, reports))
            .RequireAuthorization(AdminPolicy)
            .ExcludeFromDescription();
    }

    /// <summary>The principal a page session holds for a key that signed in.</summary>
    internal static ClaimsPrincipal SessionPrincipal(ApiKeyIdentity identity, string keyPrefix)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, identity.KeyId.ToString()),
            new(ClaimTypes.Role, identity.Role),
            new(ClaimTypes.Name, identity.Label),
            new(KeyPrefixClaim, keyPrefix),
        };
        if (identity.UnitCode is not null)
        {
            claims.Add(new Claim(CallerClaims.UnitCode, identity.UnitCode));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieScheme, ClaimTypes.NameIdentifier, ClaimTypes.Role));
    }

    private static AuthorizationPolicyBuilder Signed(AuthorizationPolicyBuilder policy) =>
        policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser();

    // A session outlives nothing it was granted by: once its key is revoked (or replaced), the next request signs out.
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var prefix = context.Principal?.FindFirstValue(KeyPrefixClaim);
        var keyId = context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var keys = context.HttpContext.RequestServices.GetRequiredService<ApiKeyRepository>();
        var stored = prefix is null ? null : await keys.FindByPrefixAsync(prefix, context.HttpContext.RequestAborted);
        if (stored is null || stored.RevokedAt is not null || !string.Equals(stored.Id.ToString(), keyId, StringComparison.Ordinal))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme);
        }
    }
}

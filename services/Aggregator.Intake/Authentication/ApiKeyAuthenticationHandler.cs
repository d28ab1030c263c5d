using System.Security.Claims;
using System.Text.Encodings.Web;
using Aggregator.Application.Security;
using Aggregator.Intake.Problems;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Aggregator.Intake.Authentication;

/// <summary>
/// Authenticates <c>Authorization: Bearer agk_…</c> or <c>X-Api-Key: agk_…</c> against the stored key hashes, and
/// answers failures with problem documents. Logs name a key by its id or prefix, never by its text.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyAuthenticator authenticator)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string ApiKeyHeader = "X-Api-Key";

    private const string BearerPrefix = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (PresentedKey(Request) is not { } key)
        {
            return AuthenticateResult.NoResult();
        }

        var check = await authenticator.AuthenticateAsync(key, Context.RequestAborted);
        if (check.Identity is not { } identity)
        {
            Logger.LogInformation("API key refused ({Reason}), prefix {Prefix}", check.Refusal, SafePrefix(key));
            return AuthenticateResult.Fail(check.Refusal == ApiKeyRefusal.Revoked ? "revoked" : "invalid");
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, identity.KeyId.ToString()),
            new(ClaimTypes.Role, identity.Role),
        };
        if (identity.UnitCode is not null)
        {
            claims.Add(new Claim(CallerClaims.UnitCode, identity.UnitCode));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClaimTypes.NameIdentifier, ClaimTypes.Role));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = "Bearer realm=\"aggregator\"";
        var detail = result.Failure?.Message switch
        {
            "revoked" => "API 密钥已被吊销。",
            "invalid" => "API 密钥无效。",
            _ => "缺少 API 密钥：请在 Authorization: Bearer 或 X-Api-Key 请求头中提供。",
        };
        await ProblemWriter.WriteAsync(Context, StatusCodeProblems.Unauthenticated(detail));
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ProblemWriter.WriteAsync(Context, ApiProblem.Forbidden("当前密钥的角色无权执行此操作。"));

    /// <summary>The key from <c>Authorization: Bearer</c>, else from <c>X-Api-Key</c>; a blank header counts as a garbage key.</summary>
    internal static string? PresentedKey(HttpRequest request)
    {
        var authorization = request.Headers[HeaderNames.Authorization].ToString();
        if (authorization.Length > 0)
        {
            return authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
                ? authorization[BearerPrefix.Length..].Trim()
                : authorization;
        }

        return request.Headers.TryGetValue(ApiKeyHeader, out var header) ? header.ToString().Trim() : null;
    }

    private static string SafePrefix(string key) =>
        ApiKeyText.TryParse(key, out var prefix) ? prefix : "(malformed)";
}

using System.Reflection;
using System.Security.Claims;
using Aggregator.Storage;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Intake.Authentication;

public static class CallerClaims
{
    public const string UnitCode = "aggregator:unit_code";
}

/// <summary>The authenticated key behind a request; endpoints take it as a parameter.</summary>
public sealed record Caller(Guid KeyId, string Role, string? UnitCode)
{
    public Actor Actor => new(KeyId.ToString(), Role);

    public bool IsAdmin => Role == ApiKeyRole.Admin;

    public bool IsOps => Role == ApiKeyRole.Ops;

    public bool IsUnit => Role == ApiKeyRole.Unit;

    /// <summary>Whether this caller may read a unit's own data: admin and ops see every unit, a unit key only its own.</summary>
    public bool MaySee(string unitCode) => !IsUnit || string.Equals(UnitCode, unitCode, StringComparison.Ordinal);

    public static Caller? From(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true
            || !Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var keyId)
            || user.FindFirstValue(ClaimTypes.Role) is not { } role)
        {
            return null;
        }

        return new Caller(keyId, role, user.FindFirstValue(CallerClaims.UnitCode));
    }

    /// <summary>Minimal API binding: every endpoint that takes a caller requires an authenticated key first.</summary>
    public static ValueTask<Caller?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        ValueTask.FromResult<Caller?>(From(context.User) ?? throw new InvalidOperationException(
            $"Endpoint {context.GetEndpoint()?.DisplayName} takes a caller but lets unauthenticated requests through."));
}

using Aggregator.Storage;
using Microsoft.AspNetCore.Authorization;

namespace Aggregator.Intake.Authentication;

/// <summary>
/// The authorisation policies; every API endpoint names one. Finer rules (a unit key sees only its own unit) are
/// checked by the endpoints, which know the resource.
/// </summary>
public static class IntakePolicies
{
    /// <summary>The district office: registers units, opens and closes periods, starts rollups, manages keys.</summary>
    public const string Admin = "admin";

    /// <summary>Read-only views across units: admin and ops.</summary>
    public const string AdminOrOps = "admin_or_ops";

    /// <summary>Sending a submission: admin, or a unit key for its own unit.</summary>
    public const string Submitter = "submitter";

    /// <summary>Any valid key; the endpoint limits a unit key to its own unit's data.</summary>
    public const string AnyKey = "any_key";

    public static IReadOnlyList<string> All { get; } = [Admin, AdminOrOps, Submitter, AnyKey];

    internal static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(Admin, policy => Authenticated(policy).RequireRole(ApiKeyRole.Admin));
        options.AddPolicy(AdminOrOps, policy => Authenticated(policy).RequireRole(ApiKeyRole.Admin, ApiKeyRole.Ops));
        options.AddPolicy(Submitter, policy => Authenticated(policy).RequireRole(ApiKeyRole.Admin, ApiKeyRole.Unit));
        options.AddPolicy(AnyKey, policy => Authenticated(policy).RequireRole(ApiKeyRole.Admin, ApiKeyRole.Ops, ApiKeyRole.Unit));
    }

    private static AuthorizationPolicyBuilder Authenticated(AuthorizationPolicyBuilder policy) =>
        policy.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser();
}

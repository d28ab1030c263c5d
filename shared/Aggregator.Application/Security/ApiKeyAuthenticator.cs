using Aggregator.Storage;
using Aggregator.Storage.ApiKeys;

namespace Aggregator.Application.Security;

/// <summary>Who a valid key belongs to: its id (the audit log's actor), role and, for a unit key, the unit.</summary>
public sealed record ApiKeyIdentity(Guid KeyId, string Role, string? UnitCode, string Label)
{
    public Actor Actor => new(KeyId.ToString(), Role);
}

/// <summary>Why a presented key was refused; for logs only, the caller is told no more than that the key is not valid.</summary>
public enum ApiKeyRefusal
{
    Malformed,
    Unknown,
    Revoked,
}

public sealed record ApiKeyCheck(ApiKeyIdentity? Identity, ApiKeyRefusal? Refusal)
{
    public static ApiKeyCheck Valid(ApiKeyIdentity identity) => new(identity, null);

    public static ApiKeyCheck Refused(ApiKeyRefusal refusal) => new(null, refusal);
}

/// <summary>Checks presented API keys against the stored hashes.</summary>
public sealed class ApiKeyAuthenticator(ApiKeyRepository keys)
{
    // Hashed when the prefix is unknown, so that a miss costs what a hit costs.
    private static readonly string DecoyHash = ApiKeyText.Hash(ApiKeyText.Generate());

    public async Task<ApiKeyCheck> AuthenticateAsync(string presentedKey, CancellationToken cancellationToken)
    {
        if (!ApiKeyText.TryParse(presentedKey, out var prefix))
        {
            return ApiKeyCheck.Refused(ApiKeyRefusal.Malformed);
        }

        var stored = await keys.FindByPrefixAsync(prefix, cancellationToken);
        if (!ApiKeyText.Matches(presentedKey, stored?.KeyHash ?? DecoyHash) || stored is null)
        {
            return ApiKeyCheck.Refused(ApiKeyRefusal.Unknown);
        }

        return stored.RevokedAt is not null
            ? ApiKeyCheck.Refused(ApiKeyRefusal.Revoked)
            : ApiKeyCheck.Valid(new ApiKeyIdentity(stored.Id, stored.Role, stored.UnitCode, stored.Label));
    }
}

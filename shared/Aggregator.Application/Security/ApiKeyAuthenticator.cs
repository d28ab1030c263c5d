using System.Collections.Concurrent;
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

/// <summary>
/// Checks presented API keys against the stored hashes. A stored key (its hash and revocation, never the secret) is
/// remembered for <see cref="LookupLifetime"/>, so that a client's requests do not each read the key table: a key
/// revoked through this process stops working at once, one revoked elsewhere (another replica, the CLI) within that time.
/// </summary>
public sealed class ApiKeyAuthenticator(ApiKeyRepository keys, TimeProvider time)
{
    public static readonly TimeSpan LookupLifetime = TimeSpan.FromSeconds(5);

    // Prefixes come from the caller, so the table is bounded; when full it starts over, costing one read per key.
    private const int MaxRemembered = 10_000;

    // Hashed when the prefix is unknown, so that a miss costs what a hit costs.
    private static readonly string DecoyHash = ApiKeyText.Hash(ApiKeyText.Generate());

    private readonly ConcurrentDictionary<string, (ApiKey Stored, long ReadAt)> _remembered = new(StringComparer.Ordinal);

    public async Task<ApiKeyCheck> AuthenticateAsync(string presentedKey, CancellationToken cancellationToken)
    {
        if (!ApiKeyText.TryParse(presentedKey, out var prefix))
        {
            return ApiKeyCheck.Refused(ApiKeyRefusal.Malformed);
        }

        var stored = await FindAsync(prefix, cancellationToken);
        if (!ApiKeyText.Matches(presentedKey, stored?.KeyHash ?? DecoyHash) || stored is null)
        {
            return ApiKeyCheck.Refused(ApiKeyRefusal.Unknown);
        }

        return stored.RevokedAt is not null
            ? ApiKeyCheck.Refused(ApiKeyRefusal.Revoked)
            : ApiKeyCheck.Valid(new ApiKeyIdentity(stored.Id, stored.Role, stored.UnitCode, stored.Label));
    }

    /// <summary>Forgets every remembered key, so that a revocation made through this process holds from the next request.</summary>
    public void Forget() => _remembered.Clear();

    private async Task<ApiKey?> FindAsync(string prefix, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        if (_remembered.TryGetValue(prefix, out var entry) && time.GetElapsedTime(entry.ReadAt, now) < LookupLifetime)
        {
            return entry.Stored;
        }

        var stored = await keys.FindByPrefixAsync(prefix, cancellationToken);
        if (stored is null)
        {
            _remembered.TryRemove(prefix, out _);
            return null;
        }

        if (_remembered.Count >= MaxRemembered)
        {
            _remembered.Clear();
        }

        _remembered[prefix] = (stored, now);
        return stored;
    }
}

using Aggregator.Application.Units;
using Aggregator.Storage;
using Aggregator.Storage.ApiKeys;
using Aggregator.Storage.Units;

namespace Aggregator.Application.Security;

/// <summary>A key to issue: <c>admin</c> or <c>ops</c> without a unit, or <c>unit</c> bound to a registered unit.</summary>
public sealed record NewApiKey(string Role, string? UnitCode, string Label);

/// <summary>An issued key: the stored row and the key text, which exists nowhere else and is shown once.</summary>
public sealed record IssuedApiKey(ApiKey Stored, string Key);

/// <summary>Issues, lists and revokes API keys; every issue and revocation is audited by the repository.</summary>
public sealed class ApiKeyRegistry(ApiKeyRepository keys, UnitRepository units, ApiKeyAuthenticator authenticator)
{
    public const int MaxLabelLength = 100;

    private const int IssueAttempts = 5;

    private static readonly HashSet<string> Roles = new(StringComparer.Ordinal) { ApiKeyRole.Admin, ApiKeyRole.Unit, ApiKeyRole.Ops };

    /// <exception cref="InvalidApiKeyRequestException">The role, unit or label is not acceptable.</exception>
    public async Task<IssuedApiKey> IssueAsync(NewApiKey request, Actor issuedBy, CancellationToken cancellationToken)
    {
        await CheckAsync(request, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var key = ApiKeyText.Generate();
            try
            {
                return new IssuedApiKey(await keys.AddAsync(ToRow(key, request), issuedBy, cancellationToken), key);
            }
            catch (DuplicateRecordException) when (attempt < IssueAttempts)
            {
                // A prefix collision (one in 36^8 per existing key): draw another key.
            }
        }
    }

    /// <summary>
    /// Issues one <c>unit</c> key for each of <paramref name="unitCodes"/> (each registered) in one transaction and one
    /// audit event; the keys exist only in the returned list.
    /// </summary>
    /// <exception cref="InvalidApiKeyRequestException">No unit, a unit not registered, or a label not acceptable.</exception>
    public async Task<IReadOnlyList<IssuedApiKey>> IssueForUnitsAsync(
        IReadOnlyCollection<string> unitCodes, string label, string? scope, Actor issuedBy, CancellationToken cancellationToken)
    {
        var codes = unitCodes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (codes.Count == 0)
        {
            throw new InvalidApiKeyRequestException(ApiKeyRequestField.UnitCode, "没有要签发密钥的单位。");
        }

        var registered = (await units.ListAsync(cancellationToken)).Select(unit => unit.Code).ToHashSet(StringComparer.Ordinal);
        if (codes.FirstOrDefault(code => !registered.Contains(code)) is { } unknown)
        {
            throw new InvalidApiKeyRequestException(ApiKeyRequestField.UnitCode, $"单位“{unknown}”尚未登记，请先登记单位再为其签发密钥。");
        }

        var requests = codes.ConvertAll(code => new NewApiKey(ApiKeyRole.Unit, code, label));
        foreach (var request in requests.Take(1))
        {
            await CheckAsync(request, cancellationToken);
        }

        for (var attempt = 1; ; attempt++)
        {
            var issued = requests.ConvertAll(request => (Text: ApiKeyText.Generate(), Request: request));
            var rows = issued.ConvertAll(key => ToRow(key.Text, key.Request));
            var details = new { count = rows.Count, scope, label = label.Trim(), units = rows.Select(row => new { unit_code = row.UnitCode, key_prefix = row.KeyPrefix }) };
            try
            {
                var stored = await keys.AddManyAsync(rows, details, issuedBy, cancellationToken);
                return [.. stored.Select((row, i) => new IssuedApiKey(row, issued[i].Text))];
            }
            catch (DuplicateRecordException) when (attempt < IssueAttempts)
            {
                // A prefix collision: draw the whole batch again, since the transaction stored none of it.
            }
        }
    }

    /// <summary>
    /// Stores a key chosen by the operator (the configured bootstrap admin key) unless its prefix is stored already.
    /// </summary>
    /// <returns>True when the key was stored now.</returns>
    /// <exception cref="ArgumentException">The text is not shaped like a key.</exception>
    /// <exception cref="InvalidOperationException">The prefix is taken by a different key.</exception>
    public async Task<bool> RegisterAsync(string key, NewApiKey request, Actor registeredBy, CancellationToken cancellationToken)
    {
        if (!ApiKeyText.TryParse(key, out var prefix))
        {
            throw new ArgumentException(
                $"The key is not of the form {ApiKeyText.Scheme}_<{ApiKeyText.PrefixLength} lower-case letters or digits>_<letters or digits>.",
                nameof(key));
        }

        await CheckAsync(request, cancellationToken);
        if (await keys.FindByPrefixAsync(prefix, cancellationToken) is { } existing)
        {
            return ApiKeyText.Matches(key, existing.KeyHash)
                ? false
                : throw new InvalidOperationException($"Another key with prefix '{prefix}' is stored already.");
        }

        try
        {
            await keys.AddAsync(ToRow(key, request), registeredBy, cancellationToken);
            return true;
        }
        catch (DuplicateRecordException)
        {
            // Another instance stored it at the same moment.
            return false;
        }
    }

    public Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken) => keys.ListAsync(cancellationToken);

    /// <returns>False when no such key exists or it was revoked already.</returns>
    public async Task<bool> RevokeAsync(Guid keyId, Actor revokedBy, CancellationToken cancellationToken)
    {
        var revoked = await keys.RevokeAsync(keyId, revokedBy, cancellationToken);
        authenticator.Forget();
        return revoked;
    }

    private static ApiKey ToRow(string key, NewApiKey request)
    {
        ApiKeyText.TryParse(key, out var prefix);
        return new ApiKey
        {
            Id = Guid.CreateVersion7(),
            KeyPrefix = prefix!,
            KeyHash = ApiKeyText.Hash(key),
            Role = request.Role,
            UnitCode = request.UnitCode,
            Label = request.Label.Trim(),
            CreatedAt = default,
        };
    }

    private async Task CheckAsync(NewApiKey request, CancellationToken cancellationToken)
    {
        if (!Roles.Contains(request.Role ?? ""))
        {
            throw new InvalidApiKeyRequestException(ApiKeyRequestField.Role, $"角色“{request.Role}”无效，应为 admin、unit 或 ops。");
        }

        if (string.IsNullOrWhiteSpace(request.Label) || request.Label.Trim().Length > MaxLabelLength || request.Label.Any(char.IsControl))
        {
            throw new InvalidApiKeyRequestException(ApiKeyRequestField.Label, $"说明（label）应为 1–{MaxLabelLength} 个字符，且不含控制字符。");
        }

        if (request.Role != ApiKeyRole.Unit)
        {
            if (request.UnitCode is not null)
            {
                throw new InvalidApiKeyRequestException(ApiKeyRequestField.UnitCode, $"{request.Role} 密钥不属于某个单位，不应填写 unit_code。");
            }

            return;
        }

        if (request.UnitCode is not { } unitCode || !UnitCodes.IsValid(unitCode))
        {
            throw new InvalidApiKeyRequestException(ApiKeyRequestField.UnitCode, $"单位代码“{request.UnitCode}”格式不正确。");
        }

        if (await units.GetAsync(unitCode, cancellationToken) is null)
        {
            throw new InvalidApiKeyRequestException(ApiKeyRequestField.UnitCode, $"单位“{request.UnitCode}”尚未登记，请先登记单位再为其签发密钥。");
        }
    }
}

public enum ApiKeyRequestField
{
    Role,
    UnitCode,
    Label,
}

/// <summary>A key request the registry refuses; the message is Chinese, for the caller.</summary>
public sealed class InvalidApiKeyRequestException : Exception
{
    public InvalidApiKeyRequestException()
    {
    }

    public InvalidApiKeyRequestException(string message)
        : base(message)
    {
    }

    public InvalidApiKeyRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InvalidApiKeyRequestException(ApiKeyRequestField field, string message)
        : base(message)
    {
        Field = field;
    }

    public ApiKeyRequestField Field { get; }
}

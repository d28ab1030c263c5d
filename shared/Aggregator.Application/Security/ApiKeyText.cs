using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Aggregator.Application.Security;

/// <summary>
/// The text of an API key, <c>agk_&lt;prefix&gt;_&lt;secret&gt;</c>: the prefix finds the stored row, the secret is
/// never stored, only a SHA-256 hash of the whole key.
/// </summary>
public static class ApiKeyText
{
    public const string Scheme = "agk";
    public const int PrefixLength = 8;
    public const int SecretLength = 43;

    private const string PrefixAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    // Anything longer is not a key of ours; refusing it early keeps hashing bounded.
    private const int MaxKeyLength = 200;

    /// <summary>A fresh key from the operating system's CSPRNG: 36^8 prefixes, 62^43 (≈ 2^256) secrets.</summary>
    public static string Generate() =>
        $"{Scheme}_{RandomNumberGenerator.GetString(PrefixAlphabet, PrefixLength)}_{RandomNumberGenerator.GetString(SecretAlphabet, SecretLength)}";

    /// <summary>Splits a presented key into its prefix and secret; false for anything not shaped like a key.</summary>
    public static bool TryParse(string? key, [NotNullWhen(true)] out string? prefix)
    {
        prefix = null;
        if (key is null || key.Length > MaxKeyLength || !key.StartsWith(Scheme + "_", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = key.AsSpan(Scheme.Length + 1);
        var separator = rest.IndexOf('_');
        if (separator != PrefixLength || rest.Length <= PrefixLength + 1)
        {
            return false;
        }

        var candidate = rest[..PrefixLength];
        var secret = rest[(PrefixLength + 1)..];
        if (candidate.ContainsAnyExcept(PrefixAlphabet) || secret.ContainsAnyExcept(SecretAlphabet))
        {
            return false;
        }

        prefix = candidate.ToString();
        return true;
    }

    /// <summary>The stored form of a key: lower-case hex SHA-256 of its UTF-8 text (the prefix is bound into it).</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Compares a presented key with a stored hash in time that does not depend on where they differ.</summary>
    public static bool Matches(string key, string storedHash)
    {
        Span<byte> presented = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), presented);
        Span<byte> stored = stackalloc byte[SHA256.HashSizeInBytes];
        return Convert.FromHexString(storedHash, stored, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == SHA256.HashSizeInBytes
            && CryptographicOperations.FixedTimeEquals(presented, stored);
    }
}

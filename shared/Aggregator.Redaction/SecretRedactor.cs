using System.Text.RegularExpressions;

namespace Aggregator.Redaction;

/// <summary>Removes passwords from text bound for logs, exceptions and stored error columns.</summary>
public static partial class SecretRedactor
{
    public const string Mask = "***";

    /// <summary>
    /// Masks the password of every <c>scheme://user:password@host</c> URI and every <c>Password=…</c> /
    /// <c>Pwd=…</c> connection-string entry in <paramref name="text"/>.
    /// </summary>
    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return string.Empty;

        var withoutUriPasswords = UriPassword().Replace(text, match => match.Groups["user"].Value + Mask + "@");
        return ConnectionStringPassword().Replace(withoutUriPasswords, match => match.Groups["key"].Value + Mask);
    }

    /// <summary>The URI without its password, for a log line that must say where it connects.</summary>
    public static string Redact(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (string.IsNullOrEmpty(uri.UserInfo))
            return uri.ToString();

        var builder = new UriBuilder(uri) { Password = uri.UserInfo.Contains(':', StringComparison.Ordinal) ? Mask : string.Empty };
        return builder.Uri.ToString();
    }

    [GeneratedRegex(@"(?<user>[a-z][a-z0-9+.\-]*://[^\s:/@]*:)[^\s@/]*@", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UriPassword();

    [GeneratedRegex(@"(?<key>\b(?:password|pwd)\s*=\s*)(?:'[^']*'|""[^""]*""|[^;]*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ConnectionStringPassword();
}

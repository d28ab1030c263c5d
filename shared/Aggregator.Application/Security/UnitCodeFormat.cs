using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Aggregator.Application.Security;

internal static partial class UnitCodeFormat
{
    public static bool IsValid([NotNullWhen(true)] string? code) => code is not null && Pattern().IsMatch(code);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

using System.Text.RegularExpressions;

namespace Aggregator.Intake.Endpoints;

internal static partial class UnitCodeRule
{
    public static bool IsValid(string? code) => code is not null && Pattern().IsMatch(code);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

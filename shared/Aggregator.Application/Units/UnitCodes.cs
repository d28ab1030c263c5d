using System.Text.RegularExpressions;

namespace Aggregator.Application.Units;

/// <summary>What a unit code may look like: short, ASCII, safe in URLs, file names and logs.</summary>
public static partial class UnitCodes
{
    public const int MaxLength = 64;

    public static bool IsValid(string? code) => code is not null && Pattern().IsMatch(code);

    /// <summary>The unit a file is named after (<c>U1.json</c>, <c>区教育局/EDU.docx</c>): its name's stem when that is a unit code, else null.</summary>
    public static string? FromFileName(string path)
    {
        var stem = Path.GetFileNameWithoutExtension(path);
        return IsValid(stem) ? stem : null;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

using System.Text.RegularExpressions;

namespace Aggregator.Testing.Faults;

/// <summary>
/// Counts the validation requests a validation worker consumed, from its log lines
/// (<c>Submission {id} v{version} of {unit}: {outcome} ({Validated|AlreadyValidated})</c>).
/// </summary>
public static partial class ValidationDeliveries
{
    /// <summary>Deliveries consumed, and how many of them were for a version consumed before (the duplicates).</summary>
    public static (int Consumed, int Duplicated) Count(IEnumerable<string> logLines)
    {
        var seen = new HashSet<(Guid, int)>();
        var consumed = 0;
        foreach (var line in logLines)
        {
            var match = Consumption().Match(line);
            if (!match.Success)
                continue;
            consumed++;
            seen.Add((Guid.Parse(match.Groups["id"].Value), int.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture)));
        }

        return (consumed, consumed - seen.Count);
    }

    [GeneratedRegex(@"Submission (?<id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}) v(?<version>\d+) of \S+: \w+ \((?:Validated|AlreadyValidated)\)")]
    private static partial Regex Consumption();
}

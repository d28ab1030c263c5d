namespace Aggregator.Core.Rules;

/// <summary>The stable lower-case names used in JSON, the database and messages.</summary>
public static class WireNames
{
    /// <summary><c>accepted</c>, <c>accepted_with_warnings</c> or <c>rejected</c>.</summary>
    public static string ToWireName(this ValidationOutcome outcome) => outcome switch
    {
        ValidationOutcome.Accepted => "accepted",
        ValidationOutcome.AcceptedWithWarnings => "accepted_with_warnings",
        ValidationOutcome.Rejected => "rejected",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    /// <summary><c>error</c> or <c>warning</c>.</summary>
    public static string ToWireName(this Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, null),
    };

    /// <summary>Parses <c>accepted</c>, <c>accepted_with_warnings</c> or <c>rejected</c>.</summary>
    public static ValidationOutcome ParseOutcome(string name) => name switch
    {
        "accepted" => ValidationOutcome.Accepted,
        "accepted_with_warnings" => ValidationOutcome.AcceptedWithWarnings,
        "rejected" => ValidationOutcome.Rejected,
        _ => throw new ArgumentException($"Unknown outcome '{name}'.", nameof(name)),
    };

    /// <summary>Parses <c>error</c> or <c>warning</c>.</summary>
    public static Severity ParseSeverity(string name) => name switch
    {
        "error" => Severity.Error,
        "warning" => Severity.Warning,
        _ => throw new ArgumentException($"Unknown severity '{name}'.", nameof(name)),
    };
}

namespace Aggregator.Core.Rules;

/// <summary>The verdict on one submission.</summary>
public enum ValidationOutcome
{
    /// <summary>No violation at all.</summary>
    Accepted,

    /// <summary>Warnings only.</summary>
    AcceptedWithWarnings,

    /// <summary>At least one error.</summary>
    Rejected,
}

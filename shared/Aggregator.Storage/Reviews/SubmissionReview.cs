namespace Aggregator.Storage.Reviews;

/// <summary>The district office's decisions on a version.</summary>
public static class ReviewDecision
{
    /// <summary>Returned to the unit for correction, with a reason; the version's status becomes <c>returned</c>.</summary>
    public const string Returned = "returned";

    /// <summary>Accepted although warnings fail, with a justification; the status stays <c>accepted_with_warnings</c>.</summary>
    public const string Accepted = "accepted";
}

/// <summary>One decision of the office on one version: who, when and why.</summary>
public sealed record SubmissionReview
{
    public required Guid SubmissionId { get; init; }

    public required int Version { get; init; }

    /// <summary>One of <see cref="ReviewDecision"/>.</summary>
    public required string Decision { get; init; }

    /// <summary>The reason of a return, the justification of an acceptance.</summary>
    public required string Note { get; init; }

    public required DateTimeOffset DecidedAt { get; init; }

    /// <summary>The deciding API key's id, or <c>cli</c>.</summary>
    public required string DecidedBy { get; init; }
}

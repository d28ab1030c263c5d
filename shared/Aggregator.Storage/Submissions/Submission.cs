namespace Aggregator.Storage.Submissions;

/// <summary>One unit's report for one period; its versions hold the tables.</summary>
public sealed record Submission
{
    public required Guid Id { get; init; }

    public required Guid PeriodId { get; init; }

    public required string UnitCode { get; init; }

    public required int LatestVersion { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A stored version, with its validation outcome once there is one.</summary>
public sealed record SubmissionVersion
{
    public required Guid SubmissionId { get; init; }

    public required Guid PeriodId { get; init; }

    public required string UnitCode { get; init; }

    public required int LatestVersion { get; init; }

    public required int Version { get; init; }

    /// <summary>One of <see cref="SubmissionStatus"/>.</summary>
    public required string Status { get; init; }

    /// <summary>The document exactly as sent.</summary>
    public required string Document { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The submitting API key's id, or <c>cli</c>.</summary>
    public required string SubmittedBy { get; init; }

    public DateTimeOffset? ValidatedAt { get; init; }

    public string? Outcome { get; init; }

    /// <summary>The stored rule violations as JSON text, as the validator wrote them.</summary>
    public string? ViolationsJson { get; init; }
}

/// <summary>A version in a submission's history, without its document.</summary>
public sealed record SubmissionVersionSummary
{
    public required int Version { get; init; }

    public required string Status { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    public required string SubmittedBy { get; init; }

    public DateTimeOffset? ValidatedAt { get; init; }
}

public readonly record struct StoredVersion(Guid SubmissionId, int Version);

/// <summary>A version to store: the unit's document as received, its cells and its narrative, if any.</summary>
public sealed record NewVersion(Guid PeriodId, string UnitCode, string Document, IReadOnlyCollection<CellValue> Cells, Texts.VersionText? Text)
{
    /// <summary>Who submitted this version, when versions of several submitters are stored together.</summary>
    public Actor? SubmittedBy { get; init; }
}

namespace Aggregator.Storage.Periods;

/// <summary>A reporting period: one year's reports of a root unit's descendants, in one form.</summary>
public sealed record Period
{
    public required Guid Id { get; init; }

    public required int Year { get; init; }

    public required string FormId { get; init; }

    public required string RootUnitCode { get; init; }

    public required DateOnly DueDate { get; init; }

    /// <summary><see cref="PeriodStatus.Open"/> or <see cref="PeriodStatus.Closed"/>.</summary>
    public required string Status { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public int ExpectedUnitCount { get; init; }
}

public sealed record NewPeriod(int Year, string FormId, string RootUnitCode, DateOnly DueDate);

/// <summary>Where one expected unit stands: its latest version, if any, and that version's status.</summary>
public sealed record UnitCompleteness
{
    public required string UnitCode { get; init; }

    public required string Name { get; init; }

    public required string Kind { get; init; }

    /// <summary>The unit's parent in the tree as it stood when the period opened; null directly under nothing recorded.</summary>
    public string? ParentCode { get; init; }

    public Guid? SubmissionId { get; init; }

    public int? LatestVersion { get; init; }

    /// <summary>The latest version's status (see <see cref="SubmissionStatus"/>); null when nothing was submitted.</summary>
    public string? Status { get; init; }

    public DateTimeOffset? ReceivedAt { get; init; }

    /// <summary>The latest version's rule violations as the validator stored them (JSON); null until it is validated.</summary>
    public string? ViolationsJson { get; init; }

    /// <summary>Why the office returned the latest version; null when it did not.</summary>
    public string? ReturnReason { get; init; }

    /// <summary>Why the office accepted the latest version despite its warnings; null when it did not.</summary>
    public string? AcceptanceNote { get; init; }

    public DateTimeOffset? AcceptedAt { get; init; }

    /// <summary>When the closed period was reopened for this unit alone; null when it is not.</summary>
    public DateTimeOffset? ReopenedAt { get; init; }
}

/// <summary>A closed period reopened for one unit, so that it alone may submit.</summary>
public sealed record UnitReopening
{
    public required Guid PeriodId { get; init; }

    public required string UnitCode { get; init; }

    public required DateTimeOffset ReopenedAt { get; init; }

    public required string ReopenedBy { get; init; }
}

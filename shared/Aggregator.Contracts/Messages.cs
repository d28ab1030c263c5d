namespace Aggregator.Contracts;

/// <summary>A unit's submission version was stored and awaits validation.</summary>
public sealed record SubmissionReceived
{
    /// <summary>The submission: one unit's report for one period.</summary>
    public required Guid SubmissionId { get; init; }

    /// <summary>The stored version (1, 2, …); a resubmission is a new version.</summary>
    public required int Version { get; init; }

    /// <summary>The reporting period.</summary>
    public required Guid PeriodId { get; init; }

    /// <summary>The submitting unit's code.</summary>
    public required string UnitCode { get; init; }
}

/// <summary>A submission version was validated and its outcome stored.</summary>
public sealed record SubmissionValidated
{
    /// <summary>The submission.</summary>
    public required Guid SubmissionId { get; init; }

    /// <summary>The validated version.</summary>
    public required int Version { get; init; }

    /// <summary>The reporting period.</summary>
    public required Guid PeriodId { get; init; }

    /// <summary>The submitting unit's code.</summary>
    public required string UnitCode { get; init; }

    /// <summary><c>accepted</c>, <c>accepted_with_warnings</c> or <c>rejected</c>.</summary>
    public required string Outcome { get; init; }
}

/// <summary>
/// The outcomes one validation batch stored, in one message rather than one per version: each version as
/// <see cref="SubmissionValidated"/> describes it.
/// </summary>
public sealed record SubmissionsValidated
{
    /// <summary>The versions validated, in the order their outcomes were stored.</summary>
    public required IReadOnlyList<SubmissionValidated> Versions { get; init; }
}

/// <summary>The district office asked for the consolidated tables of a period at a node of the unit tree.</summary>
public sealed record RollupRequested
{
    /// <summary>The rollup, already stored with status <c>requested</c>.</summary>
    public required Guid RollupId { get; init; }

    /// <summary>The reporting period.</summary>
    public required Guid PeriodId { get; init; }

    /// <summary>The root of the subtree to consolidate.</summary>
    public required string UnitCode { get; init; }
}

/// <summary>A rollup's consolidated values, inputs and exclusions were stored; it is rendering, and completed once its report is stored.</summary>
public sealed record RollupCompleted
{
    /// <summary>The rollup.</summary>
    public required Guid RollupId { get; init; }

    /// <summary>The reporting period.</summary>
    public required Guid PeriodId { get; init; }
}

/// <summary>The report of a rollup was rendered and stored in every output format.</summary>
public sealed record ReportRendered
{
    /// <summary>The rollup the report renders.</summary>
    public required Guid RollupId { get; init; }

    /// <summary>The stored formats, e.g. <c>html</c>, <c>md</c>.</summary>
    public required IReadOnlyList<string> Formats { get; init; }
}

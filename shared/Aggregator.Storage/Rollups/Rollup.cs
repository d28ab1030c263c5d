using Aggregator.Storage.Submissions;

namespace Aggregator.Storage.Rollups;

/// <summary>The consolidated tables of a period at one node of the unit tree, with their provenance.</summary>
public sealed record Rollup
{
    public required Guid Id { get; init; }

    public required Guid PeriodId { get; init; }

    /// <summary>The root of the consolidated subtree.</summary>
    public required string UnitCode { get; init; }

    /// <summary>One of <see cref="RollupStatus"/>.</summary>
    public required string Status { get; init; }

    public required DateTimeOffset RequestedAt { get; init; }

    /// <summary>When the sums were stored; the report is dated so, which keeps a re-rendering identical.</summary>
    public DateTimeOffset? ComputedAt { get; init; }

    /// <summary>When the report was stored (the rollup completed) or the rollup failed.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    public required string RequestedBy { get; init; }

    /// <summary>Why the rollup failed, in Chinese.</summary>
    public string? Error { get; init; }

    /// <summary>A stable English code for the failure (e.g. <c>report_render_failed</c>).</summary>
    public string? ErrorCode { get; init; }

    /// <summary>When a newer version of a unit of the subtree was first accepted after this rollup was computed.</summary>
    public DateTimeOffset? StaleSince { get; init; }

    public IReadOnlyList<RollupValue> Values { get; init; } = [];

    /// <summary>Exactly which version of which unit was summed.</summary>
    public IReadOnlyList<RollupInput> Inputs { get; init; } = [];

    public IReadOnlyList<RollupExclusion> Exclusions { get; init; } = [];
}

/// <summary>A consolidated cell; null when every contributing cell was blank.</summary>
public sealed record RollupValue(string CellId, decimal? Value);

public sealed record RollupInput(string UnitCode, Guid SubmissionId, int Version);

/// <summary>A rollup's total of one cell over the subtree of one direct child of its root (or the root's own version).</summary>
public sealed record RollupChildValue(string ChildCode, string CellId, decimal Value);

/// <summary>
/// A row of a grouped sum: a group's sum of a cell where the database adds decimals exactly, one unit's cell of that
/// group where it does not; null when blank.
/// </summary>
public readonly record struct GroupCellValue(int Group, string CellId, decimal? Value);

/// <summary>One cell of one summed unit's version; null when blank.</summary>
public readonly record struct UnitCellValue(string UnitCode, string CellId, decimal? Value);

/// <summary>A unit left out of the sums.</summary>
/// <param name="Reason">One of <see cref="ExclusionReason"/>.</param>
/// <param name="RulesJson">The failed rules as JSON text, when rejected.</param>
public sealed record RollupExclusion(string UnitCode, string Reason, string? RulesJson);

/// <summary>The expected units of a rollup's subtree, loaded in one query whatever their number.</summary>
public sealed record RollupSource(Guid PeriodId, string RootUnitCode, IReadOnlyList<UnitSource> Units);

/// <summary>One expected unit of the subtree: where its submission stands, and the cells of its latest accepted version.</summary>
public sealed record UnitSource
{
    public required string UnitCode { get; init; }

    public required string Name { get; init; }

    public required string Kind { get; init; }

    public string? ParentCode { get; init; }

    public Guid? SubmissionId { get; init; }

    public int? LatestVersion { get; init; }

    /// <summary>The latest version's status; null when the unit has submitted nothing.</summary>
    public string? LatestStatus { get; init; }

    public DateTimeOffset? LatestReceivedAt { get; init; }

    /// <summary>The highest accepted (or accepted with warnings) version; null when none is.</summary>
    public int? AcceptedVersion { get; init; }

    public IReadOnlyList<CellValue> AcceptedCells { get; init; } = [];
}

using Aggregator.Application.Validation;

namespace Aggregator.Application.Rollups;

/// <summary>A rollup as the API shows it: the sums, exactly which versions were summed, and who was left out.</summary>
/// <param name="Status"><c>requested</c> (summing), <c>rendering</c> (sums stored, report being rendered), <c>completed</c>
/// (the report is downloadable) or <c>failed</c>.</param>
/// <param name="Error">Why the rollup failed, in Chinese.</param>
/// <param name="ErrorCode">A stable code for the failure: <c>rollup_sum_overflow</c>, <c>rollup_build_failed</c>,
/// <c>report_render_failed</c>.</param>
/// <param name="Stale">A unit of the subtree has had a newer version accepted since the rollup was computed.</param>
/// <param name="Values">The consolidated cells that hold a number, money in 万元; a blank cell is absent.</param>
/// <param name="Validation">The consolidated table's own violations.</param>
public sealed record RollupView(
    Guid RollupId,
    Guid PeriodId,
    string UnitCode,
    string Status,
    DateTimeOffset RequestedAt,
    DateTimeOffset? CompletedAt,
    string? Error,
    string? ErrorCode,
    bool Stale,
    IReadOnlyDictionary<string, decimal> Values,
    IReadOnlyList<IncludedUnitView> Included,
    IReadOnlyList<UnitReference> Missing,
    IReadOnlyList<RejectedUnitView> Rejected,
    IReadOnlyList<UnitReference> Pending,
    IReadOnlyList<ViolationView> Validation);

public sealed record IncludedUnitView(string UnitCode, string UnitName, Guid SubmissionId, int Version);

public sealed record UnitReference(string UnitCode, string UnitName);

/// <param name="Rules">The error rules of the rejected version.</param>
public sealed record RejectedUnitView(string UnitCode, string UnitName, int? Version, IReadOnlyList<string> Rules);

/// <summary>Where a rollup stands: its status and, when failed, why (see <see cref="RollupView"/>).</summary>
public sealed record RollupState(Guid RollupId, string Status, string? Error, string? ErrorCode);

/// <summary>A requested rollup (<c>status</c> is <c>requested</c>).</summary>
public sealed record RollupReceipt(Guid RollupId, string Status, string UnitCode);

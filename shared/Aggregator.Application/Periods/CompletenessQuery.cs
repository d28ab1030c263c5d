using Aggregator.Application.Validation;
using Aggregator.Storage;
using Aggregator.Storage.Periods;

namespace Aggregator.Application.Periods;

/// <summary>Where every expected unit of a period stands.</summary>
public sealed record CompletenessView(
    Guid PeriodId,
    DateOnly DueDate,
    int Expected,
    int Submitted,
    int Accepted,
    int Rejected,
    int Missing,
    IReadOnlyList<UnitCompletenessView> Units)
{
    /// <summary>Units whose latest version the office returned for correction (not counted in <see cref="Rejected"/>).</summary>
    public int Returned => Units.Count(unit => unit.Status == SubmissionStatus.Returned);
}

/// <summary>A period's completeness counted, without the units: what a client polls while it waits.</summary>
/// <param name="Received">Units whose latest version awaits validation.</param>
public sealed record CompletenessSummary(
    Guid PeriodId, DateOnly DueDate, int Expected, int Submitted, int Received, int Accepted, int Rejected, int Returned, int Missing);

/// <param name="Status"><c>missing</c>, <c>received</c>, <c>accepted</c>, <c>accepted_with_warnings</c>, <c>rejected</c> or <c>returned</c>: the latest version's.</param>
/// <param name="Late">The latest version arrived after the due date, or nothing arrived and the due date has passed.</param>
/// <param name="DaysLate">Whole days (China Standard Time) past the due date the latest version arrived, or, with nothing yet, that have passed; 0 when not late.</param>
/// <param name="Violations">The latest version's failing rules, once it is validated.</param>
public sealed record UnitCompletenessView(
    string UnitCode,
    string UnitName,
    string Status,
    int? Version,
    DateTimeOffset? ReceivedAt,
    bool Late,
    Guid? SubmissionId = null,
    int DaysLate = 0,
    IReadOnlyList<ViolationView>? Violations = null)
{
    /// <summary>Why the office returned the latest version; null when it did not.</summary>
    public string? ReturnReason { get; init; }

    /// <summary>Why the office accepted the latest version despite its warnings; null when it did not.</summary>
    public string? AcceptanceNote { get; init; }

    /// <summary>The closed period is reopened for this unit alone.</summary>
    public bool Reopened { get; init; }

    /// <summary>The unit's parent in the period's tree (recorded when it opened).</summary>
    public string? ParentCode { get; init; }

    public IReadOnlyList<ViolationView> FailingRules => Violations ?? [];
}

public sealed class CompletenessQuery(PeriodRepository periods, TimeProvider clock)
{
    public const string Missing = "missing";

    // Due dates are calendar dates in China; a day ends at midnight China Standard Time, which has no daylight saving.
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    public async Task<CompletenessView?> GetAsync(Guid periodId, CancellationToken cancellationToken)
    {
        var period = await periods.GetAsync(periodId, cancellationToken);
        if (period is null)
        {
            return null;
        }

        var deadline = Deadline(period.DueDate);
        var now = clock.GetUtcNow();
        var rows = await periods.CompletenessAsync(periodId, cancellationToken);
        var units = rows.Select(row => new UnitCompletenessView(
            row.UnitCode,
            row.Name,
            row.Status ?? Missing,
            row.LatestVersion,
            row.ReceivedAt,
            row.ReceivedAt is { } received ? received >= deadline : now >= deadline,
            row.SubmissionId,
            DaysLate(period.DueDate, row.ReceivedAt ?? now),
            ViolationView.FromJson(row.ViolationsJson))
        {
            ReturnReason = row.ReturnReason,
            AcceptanceNote = row.AcceptanceNote,
            Reopened = row.ReopenedAt is not null,
            ParentCode = row.ParentCode,
        }).ToList();
        return new CompletenessView(
            periodId,
            period.DueDate,
            units.Count,
            units.Count(unit => unit.Status != Missing),
            units.Count(unit => SubmissionStatus.IsAccepted(unit.Status)),
            units.Count(unit => unit.Status == SubmissionStatus.Rejected),
            units.Count(unit => unit.Status == Missing),
            units);
    }

    /// <summary>The same counts as <see cref="GetAsync"/>, counted by the database; null for an unknown period.</summary>
    public async Task<CompletenessSummary?> GetSummaryAsync(Guid periodId, CancellationToken cancellationToken)
    {
        var period = await periods.GetAsync(periodId, cancellationToken);
        if (period is null)
        {
            return null;
        }

        var counts = await periods.CountByStatusAsync(periodId, cancellationToken);
        int Count(string status) => counts.GetValueOrDefault(status);
        var expected = counts.Values.Sum();
        return new CompletenessSummary(
            periodId,
            period.DueDate,
            expected,
            expected - Count(Missing),
            Count(SubmissionStatus.Received),
            counts.Where(count => SubmissionStatus.IsAccepted(count.Key)).Sum(count => count.Value),
            Count(SubmissionStatus.Rejected),
            Count(SubmissionStatus.Returned),
            Count(Missing));
    }

    /// <summary>How many calendar days (China Standard Time) <paramref name="at"/> falls after the due date; 0 on or before it.</summary>
    public static int DaysLate(DateOnly dueDate, DateTimeOffset at)
    {
        var day = DateOnly.FromDateTime(at.ToOffset(ChinaStandardTime).DateTime);
        return Math.Max(0, day.DayNumber - dueDate.DayNumber);
    }

    /// <summary>The first instant after the due date.</summary>
    public static DateTimeOffset Deadline(DateOnly dueDate) =>
        new(dueDate.AddDays(1).ToDateTime(TimeOnly.MinValue), ChinaStandardTime);
}

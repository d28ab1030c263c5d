namespace Aggregator.Reporting.Model;

/// <summary>
/// 附件4: each included unit's table against its own accepted table of the year before: the cross-year checks that
/// fail and the figures that changed most; what the two years' formats cannot compare is said once.
/// </summary>
/// <param name="Available">False when the system holds no data of the year before (the annex is not printed).</param>
/// <param name="PreviousFormat">Last year's format as the report names it (2019年版表式).</param>
/// <param name="SameFormat">Both years are in one format, so every figure compares.</param>
/// <param name="NotComparable">One sentence per table that cannot be compared; empty for the same format.</param>
/// <param name="WithoutPreviousYear">Included units with no accepted table of the year before.</param>
/// <param name="Checks">Every failing cross-year check of every unit, in unit order.</param>
/// <param name="Largest">The largest changes of all units, largest first, at most <see cref="MaxOverall"/>.</param>
/// <param name="Units">The compared units with their largest changes, in the order of the per-unit breakdown.</param>
public sealed record YearOverYearModel(
    bool Available,
    int PreviousYear,
    string PreviousFormat,
    string CurrentFormat,
    bool SameFormat,
    IReadOnlyList<string> NotComparable,
    IReadOnlyList<MissingUnitModel> WithoutPreviousYear,
    IReadOnlyList<CrossYearCheckModel> Checks,
    IReadOnlyList<FigureChangeModel> Largest,
    IReadOnlyList<UnitChangesModel> Units)
{
    /// <summary>How many changes the annex lists per unit; the rest are counted.</summary>
    public const int MaxPerUnit = 10;

    /// <summary>How many changes the annex lists across all units.</summary>
    public const int MaxOverall = 20;

    public static YearOverYearModel None { get; } = new(false, 0, "", "", true, [], [], [], [], []);

    public int MaxPerUnitListed => MaxPerUnit;

    public int MaxOverallListed => MaxOverall;
}

/// <summary>A failing cross-year check of a unit (X-YEAR-CARRY …), in the report's words with both numbers.</summary>
public sealed record CrossYearCheckModel(string UnitCode, string UnitName, string RuleId, string Severity, string Message);

/// <summary>One unit's changed figures.</summary>
/// <param name="ComparedFigures">How many figures the two years have in common.</param>
/// <param name="ChangedCount">How many of them changed.</param>
/// <param name="Changes">The largest changes, at most <see cref="YearOverYearModel.MaxPerUnit"/>.</param>
public sealed record UnitChangesModel(string Code, string Name, int ComparedFigures, int ChangedCount, IReadOnlyList<FigureChangeModel> Changes);

/// <summary>A figure that changed from last year to this year.</summary>
/// <param name="Key">This year's cell id (several joined with +).</param>
/// <param name="Previous">Last year's value as printed.</param>
/// <param name="Change">The change with its sign (+4, -1252).</param>
/// <param name="Rate">The change as a share of last year's value with one decimal (+25.0%); — when last year's was 0.</param>
/// <param name="Kind">count, signed or money.</param>
public sealed record FigureChangeModel(
    string UnitCode,
    string UnitName,
    string Key,
    string Label,
    string Previous,
    string Current,
    string Change,
    string Rate,
    decimal PreviousAmount,
    decimal CurrentAmount,
    decimal ChangeAmount,
    string Kind);

using Aggregator.Core.Rules;
using Aggregator.Core.Values;

namespace Aggregator.Reporting;

/// <summary>Everything a consolidated report is rendered from: the rollup's sums, who was summed and who was not.</summary>
public sealed record ReportInput
{
    /// <summary>The national format the values are in (<c>stat_pre2019</c>, <c>fmt_2019</c>, <c>fmt_2021</c>).</summary>
    public required string FormatId { get; init; }

    /// <summary>The year reported on.</summary>
    public required int Year { get; init; }

    /// <summary>The consolidating unit as printed in the title, e.g. 温州市洞头区.</summary>
    public required string UnitName { get; init; }

    /// <summary>Who compiled the report, as in "由区政府办公室综合…编制而成".</summary>
    public string CompiledBy { get; init; } = "区政府办公室";

    /// <summary>Whose reports were combined, as in "综合全区各部门单位和街道（乡镇）的政府信息公开年度报告".</summary>
    public string CompiledFrom { get; init; } = "全区各部门单位和街道（乡镇）";

    /// <summary>When the report was rendered; printed in the report's own offset.</summary>
    public required DateTimeOffset GeneratedAt { get; init; }

    /// <summary>The consolidated values by cell id; money in 万元; null or absent = blank.</summary>
    public required IReadOnlyDictionary<string, decimal?> Values { get; init; }

    /// <summary>The units whose tables were summed, in the order they are listed in the annexes.</summary>
    public IReadOnlyList<IncludedUnit> IncludedUnits { get; init; } = [];

    /// <summary>
    /// The included units' values gathered for the per-unit breakdown, when they were streamed rather than held in
    /// <see cref="IncludedUnit.Values"/>; it must be of <see cref="IncludedUnits"/> in the same order. When set, the
    /// units' <see cref="IncludedUnit.Values"/> are not read.
    /// </summary>
    public UnitBreakdown? Breakdown { get; init; }

    /// <summary>
    /// The rows of the per-unit breakdown when they are not <see cref="IncludedUnits"/>: a rollup over inner nodes (a
    /// city over its districts) lists its direct children, each with its subtree's sums, never every leaf. When set,
    /// <see cref="Breakdown"/> must be of these rows in the same order.
    /// </summary>
    public IReadOnlyList<BreakdownRow>? BreakdownRows { get; init; }

    /// <summary>
    /// The rows of the completeness annex when they are not the units themselves: a rollup over inner nodes lists its
    /// direct children, each counted over its subtree, in the order of <see cref="BreakdownRows"/>.
    /// </summary>
    public IReadOnlyList<CompletenessRow>? CompletenessRows { get; init; }

    /// <summary>Expected units that did not submit.</summary>
    public IReadOnlyList<MissingUnit> MissingUnits { get; init; } = [];

    /// <summary>Units that submitted, but whose latest version broke a rule and was left out of the sum.</summary>
    public IReadOnlyList<RejectedUnit> RejectedUnits { get; init; } = [];

    /// <summary>The consolidated table's own validation result.</summary>
    public IReadOnlyList<ReportViolation> RollupViolations { get; init; } = [];

    /// <summary>Texts written by the district office for the narrative sections.</summary>
    public ReportNarratives Narratives { get; init; } = ReportNarratives.None;

    /// <summary>Last year's accepted tables of the units, for the year-over-year annex; null when the system holds none.</summary>
    public PreviousYearInput? PreviousYear { get; init; }

    /// <summary>Which edition to render: the published report, or the office's own copy with every annex.</summary>
    public ReportEdition Edition { get; init; } = ReportEdition.Public;

    /// <summary>The publication date printed under the signature; null: the date of <see cref="GeneratedAt"/>.</summary>
    public DateOnly? PublishedOn { get; init; }

    /// <summary>The contact line printed after 六 (e.g. 联系电话：0577-12345678), when the office gives one.</summary>
    public string? Contact { get; init; }

    /// <summary>The address line printed after 六, when the office gives one.</summary>
    public string? Address { get; init; }

    /// <summary>The period's due date, for the internal completeness annex (on time or late).</summary>
    public DateOnly? DueDate { get; init; }

    /// <summary>The input with the office's text applied: its sections, its full name, its date and contact lines.
    /// Parts the text leaves empty keep what the input had.</summary>
    public ReportInput WithText(ReportText? text) => text is null
        ? this
        : this with
        {
            CompiledBy = string.IsNullOrWhiteSpace(text.CompiledBy) ? CompiledBy : text.CompiledBy.Trim(),
            PublishedOn = text.PublishedOn ?? PublishedOn,
            Contact = string.IsNullOrWhiteSpace(text.Contact) ? Contact : text.Contact.Trim(),
            Address = string.IsNullOrWhiteSpace(text.Address) ? Address : text.Address.Trim(),
            Narratives = new ReportNarratives(text.Overview ?? Narratives.Overview, text.Problems ?? Narratives.Problems, text.Other ?? Narratives.Other)
            {
                Proactive = text.Proactive ?? Narratives.Proactive,
                Applications = text.Applications ?? Narratives.Applications,
                Management = text.Management ?? Narratives.Management,
                Platform = text.Platform ?? Narratives.Platform,
                Oversight = text.Oversight ?? Narratives.Oversight,
            },
        };
}

/// <summary>Which edition of the report is rendered.</summary>
public enum ReportEdition
{
    /// <summary>What is published: sections 一 to 六 and the signature; no annex, no unit's name, no validation message.</summary>
    Public,

    /// <summary>The office's own copy: every annex (per-unit breakdown, completeness against the due date, rejected
    /// units and why, the consolidated table's own check).</summary>
    Internal,
}

/// <summary>A unit whose table was summed.</summary>
/// <param name="Version">The submission version that was summed.</param>
/// <param name="Values">The unit's own values by cell id (money in 万元), for the per-unit breakdown.</param>
public sealed record IncludedUnit(string Code, string Name, int Version, IReadOnlyDictionary<string, decimal?> Values)
{
    /// <summary>When the summed version was received, for the internal completeness annex.</summary>
    public DateTimeOffset? SubmittedAt { get; init; }

    private static readonly IReadOnlyDictionary<string, decimal?> NoValues = new Dictionary<string, decimal?>();

    /// <summary>A unit whose values reach the report through <see cref="ReportInput.Breakdown"/>.</summary>
    public IncludedUnit(string code, string name, int version)
        : this(code, name, version, NoValues)
    {
    }
}

/// <summary>An expected unit that did not submit.</summary>
public sealed record MissingUnit(string Code, string Name);

/// <summary>A unit left out of the sum because its table broke rules.</summary>
/// <param name="Version">The rejected submission version, when known.</param>
public sealed record RejectedUnit(string Code, string Name, int? Version, IReadOnlyList<ReportViolation> Violations)
{
    /// <summary>When the rejected version was received, for the internal completeness annex.</summary>
    public DateTimeOffset? SubmittedAt { get; init; }
}

/// <summary>A broken rule as the report prints it.</summary>
/// <param name="Message">The Chinese message quoting the printed labels and the numbers.</param>
public sealed record ReportViolation(string RuleId, Severity Severity, string Message)
{
    public static ReportViolation From(RuleViolation violation) =>
        new(violation.RuleId, violation.Severity, violation.Message);
}

/// <summary>The district office's own texts for sections 一、五、六; paragraphs are separated by line breaks.</summary>
/// <param name="Overview">一、总体情况, printed after the computed figures.</param>
/// <param name="Problems">五、存在的主要问题及改进情况.</param>
/// <param name="Other">六、其他需要报告的事项.</param>
public sealed record ReportNarratives(string? Overview, string? Problems, string? Other)
{
    /// <summary>一（一）主动公开.</summary>
    public string? Proactive { get; init; }

    /// <summary>一（二）依申请公开.</summary>
    public string? Applications { get; init; }

    /// <summary>一（三）政府信息管理.</summary>
    public string? Management { get; init; }

    /// <summary>一（四）平台建设.</summary>
    public string? Platform { get; init; }

    /// <summary>一（五）监督保障.</summary>
    public string? Oversight { get; init; }

    public static ReportNarratives None { get; } = new(null, null, null);
}

/// <summary>Conversions from the core's tables to report values.</summary>
public static class ReportValues
{
    /// <summary>The filled cells of a table (a rollup's total or a unit's table) by cell id.</summary>
    public static IReadOnlyDictionary<string, decimal?> From(NormalizedTable table) =>
        table.FilledCells.ToDictionary(c => c.Cell.Id, c => (decimal?)c.Value, StringComparer.Ordinal);
}

/// <summary>The accepted tables of the year before, in that year's format.</summary>
/// <param name="FormatId">Last year's format, which may differ from this year's (fmt_2019 → fmt_2021).</param>
public sealed record PreviousYearInput(int Year, string FormatId, IReadOnlyList<PreviousYearUnit> Units);

/// <summary>One unit's accepted values of the year before by cell id (money in 万元).</summary>
public sealed record PreviousYearUnit(string Code, IReadOnlyDictionary<string, decimal?> Values);

/// <summary>A row of the per-unit breakdown: a unit with its summed version, or a node with how many units it sums.</summary>
/// <param name="Version">The summed version of a unit that reported itself; null for a node.</param>
/// <param name="Units">How many summed versions the row adds up (1 for a unit).</param>
public sealed record BreakdownRow(string Code, string Name, int? Version, int Units);

/// <summary>A direct child of the rollup's node in the completeness annex, counted over its subtree.</summary>
/// <param name="IsNode">The child has units under it; otherwise the counts are of the unit itself (one of them is 1).</param>
/// <param name="Included">Summed (accepted) units.</param>
/// <param name="Rejected">Units whose latest version broke a rule.</param>
/// <param name="Missing">Units that did not submit or whose version is not yet validated.</param>
public sealed record CompletenessRow(string Code, string Name, bool IsNode, int Included, int Rejected, int Missing)
{
    public int Expected => Included + Rejected + Missing;
}

namespace Aggregator.Reporting.Model;

// The template model. Templates see these records as plain script objects with snake_case member names
// (RowsById → rows_by_id); every string is escaped for the output format before a template sees it.

/// <summary>A consolidated report ready for a template: labels as printed, values formatted, figures computed.</summary>
/// <param name="Title">&lt;unit&gt;&lt;year&gt;年度政府信息公开工作年度报告.</param>
/// <param name="GeneratedAt">The generation date in Chinese (2020年1月20日).</param>
/// <param name="SectionNames">The section names without numbering (总体情况 …), for the opening paragraph.</param>
/// <param name="Tables">Every table of the format by table id (s2_1, s3, s4, stat …).</param>
/// <param name="Values">Every cell's formatted text by cell id.</param>
public sealed record ReportModel(
    string Title,
    string UnitName,
    int Year,
    string FormatId,
    string FormatTitle,
    string? FormatIssuedBy,
    string CompiledBy,
    string CompiledFrom,
    string GeneratedAt,
    string GeneratedAtIso,
    IReadOnlyList<string> SectionNames,
    IReadOnlyList<SectionModel> Sections,
    IReadOnlyList<TableModel> TableList,
    IReadOnlyDictionary<string, TableModel> Tables,
    IReadOnlyDictionary<string, string> Values,
    OverviewModel Overview,
    NarrativesModel Narratives,
    BreakdownModel Breakdown,
    CompletenessModel Completeness,
    ValidationModel Validation)
{
    /// <summary>附件4: the year-over-year comparison; <see cref="YearOverYearModel.None"/> without last year's data.</summary>
    public YearOverYearModel YearOverYear { get; init; } = YearOverYearModel.None;

    /// <summary>public or internal (<see cref="ReportEdition"/>).</summary>
    public string Edition { get; init; } = "public";

    /// <summary>Whether this is the internal edition, whose annexes name units and quote validation messages.</summary>
    public bool IsInternal { get; init; }

    /// <summary>The office that signs the report: its full name when the office gave one.</summary>
    public string SignedBy { get; init; } = CompiledBy;

    /// <summary>The date under the signature in Chinese: the publication date, else the generation date.</summary>
    public string SignedOn { get; init; } = GeneratedAt;

    /// <summary>The contact line printed after 六; null when not given.</summary>
    public string? Contact { get; init; }

    /// <summary>The address line printed after 六; null when not given.</summary>
    public string? Address { get; init; }

    /// <summary>The five usual parts of 一 that the office wrote, in order, each with its printed heading.</summary>
    public IReadOnlyList<NarrativePartModel> OverviewParts { get; init; } = [];

    /// <summary>The annexes this edition carries, by name (各单位汇总明细 …); empty in the public edition.</summary>
    public IReadOnlyList<string> AnnexNames { get; init; } = [];

    /// <summary>How many annexes, as a Chinese numeral (三), for the opening paragraph.</summary>
    public string AnnexCount { get; init; } = string.Empty;
}

/// <summary>One of the five parts of 一 written by the office.</summary>
/// <param name="Key">proactive, applications, management, platform or oversight.</param>
/// <param name="Heading">As printed: （一）主动公开.</param>
public sealed record NarrativePartModel(string Key, string Heading, IReadOnlyList<string> Paragraphs);

/// <summary>A numbered section of the report.</summary>
/// <param name="Key">overview, proactive, applications, appeals, problems or other.</param>
/// <param name="Heading">As printed: 一、总体情况.</param>
/// <param name="IsNarrative">Written text rather than tables.</param>
/// <param name="Tables">The tables printed in the section, in order.</param>
public sealed record SectionModel(string Key, string Heading, bool IsNarrative, IReadOnlyList<TableModel> Tables);

/// <summary>One printed table with its layout worked out.</summary>
/// <param name="BlockTitle">The title row printed above a block of section 二 (第二十条第（一）项).</param>
/// <param name="PrintedNote">A note printed in the table itself (table 三's 勾稽关系).</param>
/// <param name="Layout">grid (label columns and value columns), transposed (table 四: one value row under
/// nested headers) or list (the old statistics table: 统计指标 | 单位 | 统计数).</param>
/// <param name="PrintedHeader">The printed column headings of a list table.</param>
/// <param name="Columns">The value columns in printed order.</param>
/// <param name="Rows">Every row in printed order, group labels included.</param>
/// <param name="HeaderRows">The header as printed: rows of cells with their spans.</param>
/// <param name="BodyRows">The body as printed: label cells with spans, then the value cells.</param>
/// <param name="ColumnCount">How many columns the printed grid has in all.</param>
public sealed record TableModel(
    string Id,
    string Title,
    string SectionHeading,
    string? BlockTitle,
    string? RowHeader,
    string? PrintedNote,
    string Layout,
    IReadOnlyList<string> PrintedHeader,
    IReadOnlyList<ColumnModel> Columns,
    IReadOnlyList<RowModel> Rows,
    IReadOnlyDictionary<string, RowModel> RowsById,
    IReadOnlyList<IReadOnlyList<GridCell>> HeaderRows,
    IReadOnlyList<GridRow> BodyRows,
    int ColumnCount)
{
    /// <summary>
    /// The whole printed grid, header and body, one string per grid position: a merged cell's text at its top left
    /// position and empty text in the positions it covers. For outputs without merged cells (Markdown).
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> PrintedRows { get; init; } = [];

    /// <summary>How many of <see cref="PrintedRows"/> are header rows.</summary>
    public int PrintedHeaderRowCount { get; init; }
}

/// <summary>A value column.</summary>
/// <param name="PathLabel">The label with the spanning header it sits under (法人或其他组织 商业企业).</param>
public sealed record ColumnModel(string Id, string Label, string PathLabel);

/// <summary>A printed row.</summary>
/// <param name="PathLabel">The label with the group it belongs to (（三）不予公开 1.属于国家秘密).</param>
/// <param name="HasCells">False for group labels that carry no number.</param>
/// <param name="IsHeading">A <c>——</c> heading of the old form.</param>
/// <param name="Unit">The printed unit of a list table's row (条, 件, 万元, ——).</param>
public sealed record RowModel(
    string Id,
    string Label,
    string PathLabel,
    int Level,
    string? ParentId,
    bool HasCells,
    bool IsHeading,
    string? Unit,
    IReadOnlyList<CellModel> Cells,
    IReadOnlyDictionary<string, CellModel> CellsByColumn);

/// <summary>A value cell.</summary>
/// <param name="Text">The formatted value: a count, a signed change (+3, -2), or money (244.19万元).</param>
/// <param name="Value">The number; null when blank.</param>
/// <param name="Kind">count, signed or money.</param>
public sealed record CellModel(string Id, string Label, string Text, decimal? Value, bool IsBlank, string Kind);

/// <summary>A printed header or label cell.</summary>
/// <param name="Role">corner, column, row or group.</param>
public sealed record GridCell(string Text, int RowSpan, int ColSpan, string Role);

/// <summary>A printed body row: its label cells (group labels only on the first row they span), then values.</summary>
public sealed record GridRow(string RowId, IReadOnlyList<GridCell> LabelCells, IReadOnlyList<CellModel> Cells);

/// <summary>The figures quoted in 一、总体情况, recomputed from the summed counts.</summary>
/// <param name="CarriedIn">Null for the old form, which has no carry-over.</param>
/// <param name="GrantedAndPartialShare">予以公开 + 部分公开 as a share of the results total (33.9%); null when the total is 0.</param>
/// <param name="Outcomes">The results by kind (予以公开, 部分公开, 不予公开 …), each with its share.</param>
/// <param name="LitigationDirect">Null for the old form, which does not split litigation.</param>
/// <param name="Paragraphs">Sentences stating these figures, ready to print.</param>
public sealed record OverviewModel(
    int ExpectedUnits,
    int IncludedUnits,
    int MissingUnits,
    int RejectedUnits,
    decimal NewApplications,
    decimal? CarriedIn,
    decimal ResultsTotal,
    decimal? CarriedOut,
    decimal Granted,
    decimal Partial,
    decimal GrantedAndPartial,
    string? GrantedAndPartialShare,
    IReadOnlyList<OutcomeFigure> Outcomes,
    decimal ReviewTotal,
    decimal LitigationTotal,
    decimal? LitigationDirect,
    decimal? LitigationAfterReview,
    IReadOnlyList<string> Paragraphs);

/// <summary>One kind of result of handling applications.</summary>
/// <param name="Share">The share of the results total (4.6%); null when the total is 0.</param>
public sealed record OutcomeFigure(string Label, decimal Count, string? Share);

/// <summary>The district office's texts, split into paragraphs; empty when not supplied.</summary>
public sealed record NarrativesModel(IReadOnlyList<string> Overview, IReadOnlyList<string> Problems, IReadOnlyList<string> Other);

/// <summary>附件1: each included unit's key figures, and where every summed cell's value came from.</summary>
/// <param name="KeyColumns">The key cells shown per unit.</param>
/// <param name="Totals">The consolidated values of the key cells, formatted.</param>
/// <param name="TotalAmounts">The same values as numbers (blank as 0), for the workbook.</param>
/// <param name="Sources">Every non-zero consolidated cell with the units that make it up.</param>
/// <param name="Balanced">Whether every consolidated cell equals the sum of the included units' values.</param>
public sealed record BreakdownModel(
    IReadOnlyList<KeyColumn> KeyColumns,
    IReadOnlyList<UnitFigures> Units,
    IReadOnlyList<string> Totals,
    IReadOnlyList<decimal> TotalAmounts,
    IReadOnlyList<CellSource> Sources,
    bool Balanced)
{
    /// <summary>How many contributors a source names at most (<see cref="CellSource.MaxListed"/>), for the templates.</summary>
    public int MaxListed => CellSource.MaxListed;
}

/// <summary>A key cell of the per-unit table.</summary>
/// <param name="Kind">count, signed or money, as <see cref="CellModel.Kind"/>.</param>
public sealed record KeyColumn(string CellId, string Label, string Kind);

/// <summary>One included unit's key figures, in <see cref="BreakdownModel.KeyColumns"/> order.</summary>
/// <param name="Values">Formatted as printed.</param>
/// <param name="Amounts">The same figures as numbers (blank as 0), for the workbook.</param>
public sealed record UnitFigures(string Code, string Name, int Version, IReadOnlyList<string> Values, IReadOnlyList<decimal> Amounts)
{
    /// <summary>A node of the tree (a district in a city's report): its figures are its subtree's sums.</summary>
    public bool IsNode { get; init; }

    /// <summary>How many summed versions the row adds up.</summary>
    public int Units { get; init; } = 1;

    /// <summary>What the version column shows: the version, or for a node how many units it sums.</summary>
    public string VersionText => IsNode ? $"下辖 {Units} 个单位" : Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A consolidated cell and its contributors, at most <see cref="MaxListed"/> of them by name.</summary>
/// <param name="Balanced">Whether the contributions add up to the consolidated value.</param>
/// <param name="SumOfUnits">The sum of the included units' values, formatted.</param>
/// <param name="ContributorCount">How many units put a non-zero value into the cell.</param>
/// <param name="Contributions">Every contributor in unit order when there are at most <see cref="MaxListed"/>;
/// otherwise the largest <see cref="MaxListed"/>, largest first.</param>
/// <param name="OthersCount">The contributors not listed by name.</param>
/// <param name="OthersSum">Their sum, formatted; empty when every contributor is listed.</param>
public sealed record CellSource(
    string CellId,
    string Label,
    string Total,
    bool Balanced,
    string SumOfUnits,
    int ContributorCount,
    IReadOnlyList<Contribution> Contributions,
    int OthersCount,
    string OthersSum)
{
    /// <summary>
    /// The annex names this many contributors per cell at most, so that its size does not grow with the number of
    /// units (a province's report has ~10⁴ under every cell); the full per-unit provenance is in the stored rollup.
    /// </summary>
    public const int MaxListed = 10;
}

/// <summary>What one unit put into a consolidated cell.</summary>
public sealed record Contribution(string Code, string Name, string Value);

/// <summary>附件2: who was summed, who did not submit, who was rejected and why.</summary>
public sealed record CompletenessModel(
    int Expected,
    IReadOnlyList<IncludedUnitModel> Included,
    IReadOnlyList<MissingUnitModel> Missing,
    IReadOnlyList<RejectedUnitModel> Rejected)
{
    /// <summary>The period's due date in Chinese; empty when not known.</summary>
    public string DueDate { get; init; } = string.Empty;

    /// <summary>How many units submitted the version summed or rejected after the due date.</summary>
    public int LateCount { get; init; }

    /// <summary>
    /// For a rollup over inner nodes, its direct children counted over their subtrees; the unit lists are then empty
    /// (the annex names no leaf of a subtree). Empty for a rollup over units.
    /// </summary>
    public IReadOnlyList<ChildCompletenessModel> Children { get; init; } = [];

    /// <summary>Whether the annex lists direct children rather than units.</summary>
    public bool ByChild => Children.Count > 0;

    /// <summary>How many units were summed (the size of <see cref="Included"/> when it lists units).</summary>
    public int IncludedCount { get; init; }

    /// <summary>How many units did not submit.</summary>
    public int MissingCount { get; init; }

    /// <summary>How many units were rejected.</summary>
    public int RejectedCount { get; init; }
}

/// <summary>A direct child in the completeness annex of a rollup over inner nodes.</summary>
/// <param name="State">For a node 下辖 N 个单位; for a unit its own status (已汇总, 未通过校验, 未报送).</param>
public sealed record ChildCompletenessModel(
    string Code,
    string Name,
    bool IsNode,
    string State,
    int Expected,
    int Submitted,
    int Included,
    int Rejected,
    int Missing);

/// <summary>A summed unit and the version summed.</summary>
public sealed record IncludedUnitModel(string Code, string Name, int Version)
{
    /// <summary>When the version was received (2020-01-20 09:30); empty when not known.</summary>
    public string SubmittedAt { get; init; } = string.Empty;

    /// <summary>按时, 逾期3天, or empty when the due date or the time is not known.</summary>
    public string Timeliness { get; init; } = string.Empty;
}

/// <summary>A unit that did not submit.</summary>
public sealed record MissingUnitModel(string Code, string Name)
{
    /// <summary>已逾期 when the report was generated after the due date, else empty.</summary>
    public string Timeliness { get; init; } = string.Empty;
}

/// <summary>A rejected unit with the rules it broke.</summary>
/// <param name="Version">The rejected version as text; empty when unknown.</param>
public sealed record RejectedUnitModel(string Code, string Name, string Version, IReadOnlyList<ViolationModel> Violations)
{
    /// <summary>When the rejected version was received; empty when not known.</summary>
    public string SubmittedAt { get; init; } = string.Empty;

    /// <summary>按时, 逾期3天, or empty.</summary>
    public string Timeliness { get; init; } = string.Empty;
}

/// <summary>A broken rule.</summary>
/// <param name="Severity">错误 or 警告.</param>
/// <param name="SeverityId">error or warning.</param>
public sealed record ViolationModel(string RuleId, string Severity, string SeverityId, string Message);

/// <summary>附件3: the consolidated table's own validation.</summary>
/// <param name="RuleCount">How many rules and checks the format defines.</param>
public sealed record ValidationModel(
    int RuleCount,
    int ErrorCount,
    int WarningCount,
    bool Passed,
    IReadOnlyList<ViolationModel> Violations);

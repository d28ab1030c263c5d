using System.Globalization;
using Aggregator.Core.Forms;
using Aggregator.Core.Rules;

namespace Aggregator.Reporting.Model;

/// <summary>Turns a <see cref="ReportInput"/> into the model the templates print.</summary>
public sealed class ReportModelBuilder(FormCatalog catalog)
{
    private static readonly string[] SectionKeys = ["overview", "proactive", "applications", "appeals", "problems", "other"];

    private static readonly char[] LineBreaks = ['\r', '\n'];

    /// <summary>A builder over the embedded national formats.</summary>
    public static ReportModelBuilder Default { get; } = new(FormCatalog.Default);

    /// <summary>Builds the template model.</summary>
    /// <exception cref="ArgumentException">The format is unknown or does not cover the year, or a value names a cell
    /// the format does not have.</exception>
    public ReportModel Build(ReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!catalog.TryGet(input.FormatId, out var form))
        {
            throw new ArgumentException($"Unknown format '{input.FormatId}'.", nameof(input));
        }

        if (!form.ValidYears.Contains(input.Year))
        {
            throw new ArgumentException($"Format {form.Id} is not used for reports on {input.Year}.", nameof(input));
        }

        var totals = CellValues(form, input.Values, "the consolidated values");
        var unitBreakdown = input.Breakdown ?? UnitBreakdown.From(form, input.IncludedUnits);

        var tables = form.Tables.Select(t => WithPrintedRows(TableLayout.Build(t, c => totals[c.Index]))).ToList();
        var tablesById = tables.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var values = form.Cells.ToDictionary(c => c.Id, c => CellValueFormatter.Format(c, totals[c.Index]), StringComparer.Ordinal);

        var isInternal = input.Edition == ReportEdition.Internal;
        var completeness = Completeness(input);
        var breakdown = BreakdownBuilder.Build(
            form, input.BreakdownRows ?? [.. input.IncludedUnits.Select(u => new BreakdownRow(u.Code, u.Name, u.Version, 1))], totals, unitBreakdown);
        var validation = Validation(form, input.RollupViolations);
        // 附件4 names units and quotes their cross-year warnings: an annex of the internal edition only.
        var yearOverYear = isInternal ? YearOverYearBuilder.Build(catalog, form, input) : YearOverYearModel.None;
        if (!isInternal)
        {
            // The public edition is what gets published: it must not name units or quote validation messages, even
            // through a template the office has changed, so the model it is rendered from holds none.
            completeness = new CompletenessModel(completeness.Expected, [], [], [])
            {
                IncludedCount = completeness.IncludedCount,
                MissingCount = completeness.MissingCount,
                RejectedCount = completeness.RejectedCount,
            };
            breakdown = breakdown with { Units = [], Sources = [] };
            validation = validation with { Violations = [] };
        }

        return new ReportModel(
            $"{input.UnitName}{input.Year}年度政府信息公开工作年度报告",
            input.UnitName,
            input.Year,
            form.Id,
            form.Title,
            form.IssuedBy,
            input.CompiledBy,
            input.CompiledFrom,
            ChineseDate(input.GeneratedAt),
            input.GeneratedAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            [.. form.Sections.Select(SectionName)],
            Sections(form, tables),
            tables,
            tablesById,
            values,
            OverviewCalculator.Calculate(input, form, id => totals[form.GetCell(id).Index] ?? 0m),
            new NarrativesModel(Paragraphs(input.Narratives.Overview), Paragraphs(input.Narratives.Problems), Paragraphs(input.Narratives.Other)),
            breakdown,
            completeness,
            validation)
        {
            Edition = isInternal ? "internal" : "public",
            IsInternal = isInternal,
            SignedBy = input.CompiledBy,
            SignedOn = input.PublishedOn is { } published ? ChineseDate(published) : ChineseDate(input.GeneratedAt),
            Contact = Blank(input.Contact),
            Address = Blank(input.Address),
            OverviewParts = OverviewParts(input.Narratives),
            AnnexNames = isInternal ? [.. InternalAnnexes, .. yearOverYear.Available ? [YearOverYearAnnex] : Array.Empty<string>()] : [],
            AnnexCount = !isInternal ? string.Empty : yearOverYear.Available ? "四" : "三",
            YearOverYear = yearOverYear,
        };
    }

    private const string YearOverYearAnnex = "与上年度数据比较";

    private static readonly string[] InternalAnnexes = ["各单位汇总明细", "报送情况", "汇总表校验结果"];

    private static readonly string[] PartNumerals = ["一", "二", "三", "四", "五"];

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static List<NarrativePartModel> OverviewParts(ReportNarratives narratives)
    {
        (string Key, string Name, string? Text)[] parts =
        [
            ("proactive", "主动公开", narratives.Proactive),
            ("applications", "依申请公开", narratives.Applications),
            ("management", "政府信息管理", narratives.Management),
            ("platform", "平台建设", narratives.Platform),
            ("oversight", "监督保障", narratives.Oversight),
        ];

        // Numbered among the parts the office wrote, as a published report numbers what it prints.
        var written = parts.Select(p => (p.Key, p.Name, Paragraphs: Paragraphs(p.Text))).Where(p => p.Paragraphs.Count > 0).ToList();
        return [.. written.Select((p, i) => new NarrativePartModel(p.Key, $"（{PartNumerals[i]}）{p.Name}", p.Paragraphs))];
    }

    private static TableModel WithPrintedRows(TableModel table)
    {
        var grid = Office.PrintedGrid.Of(table);
        var rows = new string[grid.RowCount][];
        for (var r = 0; r < grid.RowCount; r++)
        {
            rows[r] = new string[grid.ColumnCount];
            for (var c = 0; c < grid.ColumnCount; c++)
            {
                var (cell, isOrigin) = grid.At(r, c);
                rows[r][c] = cell is null || !isOrigin ? string.Empty : cell.Value?.Text ?? cell.Text;
            }
        }

        return table with { PrintedRows = rows, PrintedHeaderRowCount = grid.HeaderRowCount };
    }

    private static decimal?[] CellValues(FormDefinition form, IReadOnlyDictionary<string, decimal?> values, string whose)
    {
        var byIndex = new decimal?[form.Cells.Count];
        foreach (var (cellId, value) in values)
        {
            if (!form.TryGetCell(cellId, out var cell))
            {
                throw new ArgumentException($"Format {form.Id} has no cell '{cellId}' (in {whose}).", nameof(values));
            }

            byIndex[cell.Index] = value;
        }

        return byIndex;
    }

    private static List<SectionModel> Sections(FormDefinition form, List<TableModel> tables)
    {
        var sections = new List<SectionModel>();
        for (var i = 0; i < form.Sections.Count; i++)
        {
            var heading = form.Sections[i];
            var key = i < SectionKeys.Length ? SectionKeys[i] : $"section{i + 1}";
            var sectionTables = tables.Where(t => t.SectionHeading == heading).ToList();
            sections.Add(new SectionModel(key, heading, form.NarrativeSections.Contains(heading), sectionTables));
        }

        return sections;
    }

    private static string SectionName(string heading)
    {
        var mark = heading.IndexOf('、', StringComparison.Ordinal);
        return mark < 0 ? heading : heading[(mark + 1)..];
    }

    private static string ChineseDate(DateTimeOffset at) => $"{at.Year}年{at.Month}月{at.Day}日";

    private static string ChineseDate(DateOnly on) => $"{on.Year}年{on.Month}月{on.Day}日";

    private static string Moment(DateTimeOffset? at) =>
        at is { } time ? time.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : string.Empty;

    // Late is measured in the time of the submission's own offset: a due date is a calendar day where the office is.
    private static string Timeliness(DateTimeOffset? at, DateOnly? due)
    {
        if (at is not { } time || due is not { } dueDate)
        {
            return string.Empty;
        }

        var late = DateOnly.FromDateTime(time.DateTime).DayNumber - dueDate.DayNumber;
        return late <= 0 ? "按时" : $"逾期{late}天";
    }

    private static List<string> Paragraphs(string? text) =>
        text is null
            ? []
            : [.. text.Split(LineBreaks, StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Trim().Trim('\u3000', '\u00A0'))
                .Where(p => p.Length > 0)];

    private static CompletenessModel Completeness(ReportInput input)
    {
        var due = input.DueDate;
        var overdue = due is { } d && DateOnly.FromDateTime(input.GeneratedAt.DateTime) > d;
        var included = input.IncludedUnits
            .Select(u => new IncludedUnitModel(u.Code, u.Name, u.Version) { SubmittedAt = Moment(u.SubmittedAt), Timeliness = Timeliness(u.SubmittedAt, due) })
            .ToList();
        var rejected = input.RejectedUnits
            .Select(u => new RejectedUnitModel(
                u.Code,
                u.Name,
                u.Version?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                [.. u.Violations.Select(ViolationOf)]) { SubmittedAt = Moment(u.SubmittedAt), Timeliness = Timeliness(u.SubmittedAt, due) })
            .ToList();
        var byChild = input.CompletenessRows is { Count: > 0 } rows ? rows : null;
        return new CompletenessModel(
            input.IncludedUnits.Count + input.MissingUnits.Count + input.RejectedUnits.Count,
            byChild is null ? included : [],
            byChild is null ? [.. input.MissingUnits.Select(u => new MissingUnitModel(u.Code, u.Name) { Timeliness = overdue ? "已逾期" : string.Empty })] : [],
            byChild is null ? rejected : [])
        {
            DueDate = due is { } date ? ChineseDate(date) : string.Empty,
            LateCount = included.Count(u => u.Timeliness.StartsWith("逾期", StringComparison.Ordinal))
                + rejected.Count(u => u.Timeliness.StartsWith("逾期", StringComparison.Ordinal)),
            Children = byChild is null ? [] : [.. byChild.Select(ChildOf)],
            IncludedCount = input.IncludedUnits.Count,
            MissingCount = input.MissingUnits.Count,
            RejectedCount = input.RejectedUnits.Count,
        };
    }

    private static ChildCompletenessModel ChildOf(CompletenessRow row)
    {
        var state = row.IsNode ? $"下辖 {row.Expected} 个单位"
            : row.Included > 0 ? "已汇总"
            : row.Rejected > 0 ? "未通过校验"
            : "未报送";
        return new ChildCompletenessModel(row.Code, row.Name, row.IsNode, state, row.Expected, row.Included + row.Rejected, row.Included, row.Rejected, row.Missing);
    }

    private static ValidationModel Validation(FormDefinition form, IReadOnlyList<ReportViolation> violations)
    {
        var errors = violations.Count(v => v.Severity == Severity.Error);
        return new ValidationModel(
            form.Rules.Count,
            errors,
            violations.Count - errors,
            violations.Count == 0,
            [.. violations.Select(ViolationOf)]);
    }

    private static ViolationModel ViolationOf(ReportViolation violation) =>
        violation.Severity == Severity.Error
            ? new ViolationModel(violation.RuleId, "错误", "error", violation.Message)
            : new ViolationModel(violation.RuleId, "警告", "warning", violation.Message);
}

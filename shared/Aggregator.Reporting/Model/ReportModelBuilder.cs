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
        var breakdown = input.Breakdown ?? UnitBreakdown.From(form, input.IncludedUnits);

        var tables = form.Tables.Select(t => TableLayout.Build(t, c => totals[c.Index])).ToList();
        var tablesById = tables.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var values = form.Cells.ToDictionary(c => c.Id, c => CellValueFormatter.Format(c, totals[c.Index]), StringComparer.Ordinal);

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
            BreakdownBuilder.Build(form, input.IncludedUnits, totals, breakdown),
            Completeness(input),
            Validation(form, input.RollupViolations));
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

    private static List<string> Paragraphs(string? text) =>
        text is null
            ? []
            : [.. text.Split(LineBreaks, StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Trim().Trim('\u3000', '\u00A0'))
                .Where(p => p.Length > 0)];

    private static CompletenessModel Completeness(ReportInput input) =>
        new(
            input.IncludedUnits.Count + input.MissingUnits.Count + input.RejectedUnits.Count,
            [.. input.IncludedUnits.Select(u => new IncludedUnitModel(u.Code, u.Name, u.Version))],
            [.. input.MissingUnits.Select(u => new MissingUnitModel(u.Code, u.Name))],
            [.. input.RejectedUnits.Select(u => new RejectedUnitModel(
                u.Code,
                u.Name,
                u.Version?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                [.. u.Violations.Select(ViolationOf)]))]);

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

using Aggregator.Core.Forms;
using Aggregator.Core.Rules;

namespace Aggregator.Core.Values;

/// <summary>The normalised table and the problems met while reading its cells.</summary>
/// <param name="Problems">The document's own problems (DUPLICATE-CELL, FORM-YEAR), UNKNOWN-CELL, VALUE-FORMAT, VALUE-RANGE, VALUE-UNIT (errors) and VALUE-DASH (warnings), EMPTY-REPORT (a warning: no cell has a value); an unreadable cell is left blank.</param>
public sealed record NormalizationResult(NormalizedTable Table, IReadOnlyList<RuleViolation> Problems);

/// <summary>Turns a submission document into a normalised table of its format.</summary>
public static class TableNormalizer
{
    /// <summary>Reads every cell of <paramref name="document"/> against <paramref name="form"/>.</summary>
    public static NormalizationResult Normalize(FormDefinition form, SubmissionDocument document)
    {
        var count = form.Cells.Count;
        var scaled = new long[count];
        var present = new bool[count];
        var rawTexts = new string?[count];
        var unitAssumed = new bool[count];
        var problems = new List<RuleViolation>(document.ReadingProblems);
        if (!form.ValidYears.Contains(document.Year))
        {
            problems.Add(WrongYear(form, document.Year));
        }

        foreach (var cellId in document.UnitsFromHeader.Keys.Where(id => !form.TryGetCell(id, out _)))
        {
            problems.Add(UnknownCell(form, cellId, document.UnitsFromHeader[cellId]));
        }

        foreach (var (cellId, text) in document.Raw)
        {
            Read(cellId, text, null);
        }

        foreach (var (cellId, submitted) in document.Values)
        {
            if (document.Raw.Count == 0 || !document.Raw.ContainsKey(cellId))
            {
                Read(cellId, submitted.Text, submitted.Number);
            }
        }

        if (!Array.Exists(present, p => p) && !problems.Exists(p => p.Severity == Severity.Error))
        {
            problems.Add(EmptyReport(form));
        }

        return new NormalizationResult(new NormalizedTable(form, scaled, present, rawTexts, unitAssumed), problems);

        void Read(string cellId, string? text, decimal? number)
        {
            if (!form.TryGetCell(cellId, out var cell))
            {
                problems.Add(UnknownCell(form, cellId, text));
                return;
            }

            string? headerUnit = null;
            if (document.UnitsFromHeader.Count > 0)
            {
                document.UnitsFromHeader.TryGetValue(cellId, out headerUnit);
            }

            var reading = number is { } value
                ? CellTextReader.ReadNumber(cell, value, text!, headerUnit)
                : CellTextReader.ReadText(cell, text ?? "", headerUnit);
            rawTexts[cell.Index] = text;
            if (reading.IsProblem)
            {
                problems.Add(Problem(reading.ProblemRuleId!, Severity.Error, cell, null, text, reading.Problem!));
                return;
            }

            if (reading.Scaled is { } scaledValue)
            {
                scaled[cell.Index] = scaledValue;
                present[cell.Index] = true;
                unitAssumed[cell.Index] = reading.UnitAssumed;
            }

            if (reading.WasDash)
            {
                problems.Add(Problem(
                    ValueRuleIds.Dash,
                    Severity.Warning,
                    cell,
                    0m,
                    text,
                    $"“{cell.Label}”填写为“{text}”，已按 0 计；如确为 0，请直接填写 0"));
            }
        }
    }

    private static RuleViolation WrongYear(FormDefinition form, int year)
    {
        var years = form.ValidYears switch
        {
            { From: { } from, To: { } to } => $"{from}—{to} 年度",
            { From: { } from } => $"{from} 年度及以后",
            { To: { } to } => $"{to} 年度及以前",
            _ => "各年度",
        };
        return new(
            DocumentRuleIds.FormYear,
            Severity.Error,
            false,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["year"] = year.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            [],
            $"表式“{form.Title}”（{form.Id}）用于 {years}的报告，本报表的年度为 {year}");
    }

    private static RuleViolation EmptyReport(FormDefinition form) =>
        new(
            DocumentRuleIds.EmptyReport,
            Severity.Warning,
            false,
            new Dictionary<string, string>(StringComparer.Ordinal),
            [],
            $"报表中没有任何数值：{string.Join("、", form.Tables.Select(t => t.Title))}都未填写；空表不是有效的年度报告，请确认是否提交了正确的文件");

    private static RuleViolation UnknownCell(FormDefinition form, string cellId, string? text) =>
        new(
            ValueRuleIds.UnknownCell,
            Severity.Error,
            false,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["cell"] = cellId },
            [new ViolationCell(cellId, null, text)],
            $"表式“{form.Title}”（{form.Id}）中没有单元格“{cellId}”");

    private static RuleViolation Problem(string ruleId, Severity severity, CellDefinition cell, decimal? value, string? text, string message) =>
        new(
            ruleId,
            severity,
            false,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["cell"] = cell.Id },
            [new ViolationCell(cell.Id, value, text)],
            message);
}

using Aggregator.Core.Forms;
using Aggregator.Core.Rules;

namespace Aggregator.Core.Values;

/// <summary>The normalised table and the problems met while reading its cells.</summary>
/// <param name="Problems">UNKNOWN-CELL, VALUE-FORMAT, VALUE-UNIT (errors) and VALUE-DASH (warnings); an unreadable cell is left blank.</param>
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
        var problems = new List<RuleViolation>();

        foreach (var cellId in document.UnitsFromHeader.Keys.Where(id => !form.TryGetCell(id, out _)))
        {
            problems.Add(UnknownCell(form, cellId, document.UnitsFromHeader[cellId]));
        }

        foreach (var cellId in document.Values.Keys.Concat(document.Raw.Keys.Where(k => !document.Values.ContainsKey(k))))
        {
            var hasRaw = document.Raw.TryGetValue(cellId, out var raw);
            var submitted = document.Values.GetValueOrDefault(cellId);
            var text = hasRaw ? raw : submitted?.Text;
            if (!form.TryGetCell(cellId, out var cell))
            {
                problems.Add(UnknownCell(form, cellId, text));
                continue;
            }

            document.UnitsFromHeader.TryGetValue(cellId, out var headerUnit);
            var reading = hasRaw || submitted?.Number is null
                ? CellTextReader.ReadText(cell, text ?? "", headerUnit)
                : CellTextReader.ReadNumber(cell, submitted.Number.Value, submitted.Text!, headerUnit);
            rawTexts[cell.Index] = text;
            if (reading.IsProblem)
            {
                problems.Add(Problem(reading.ProblemRuleId!, Severity.Error, cell, null, text, reading.Problem!));
                continue;
            }

            if (reading.Scaled is { } value)
            {
                scaled[cell.Index] = value;
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

        return new NormalizationResult(new NormalizedTable(form, scaled, present, rawTexts, unitAssumed), problems);
    }

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

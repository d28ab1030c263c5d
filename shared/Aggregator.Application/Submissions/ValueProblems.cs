using Aggregator.Application.Results;
using Aggregator.Core.Forms;
using Aggregator.Core.Rules;

namespace Aggregator.Application.Submissions;

/// <summary>
/// The problems of a submission that are about single values rather than consistency: they make the intake refuse
/// the request at once (422) instead of storing a version that validation would reject.
/// </summary>
internal static class ValueProblems
{
    /// <summary>How many cells a refusal lists; the rest are counted, so that the answer stays smaller than the request.</summary>
    public const int ListedCells = 20;

    // The name of the form files' built-in check for non-negative whole counts.
    private const string NonnegativeCheck = "nonnegative_integer";

    /// <summary>The error-severity value problems among <paramref name="violations"/>, in the order found.</summary>
    public static IReadOnlyList<RuleViolation> Select(FormDefinition form, IEnumerable<RuleViolation> violations)
    {
        var nonnegativeRules = form.Rules
            .Where(rule => string.Equals(rule.Check, NonnegativeCheck, StringComparison.Ordinal))
            .Select(rule => rule.Id)
            .ToHashSet(StringComparer.Ordinal);
        return [.. violations.Where(v => v.Severity == Severity.Error
            && (v.RuleId is DocumentRuleIds.DuplicateCell or DocumentRuleIds.FormYear
                or ValueRuleIds.UnknownCell or ValueRuleIds.Format or ValueRuleIds.Range or ValueRuleIds.Unit
                || nonnegativeRules.Contains(v.RuleId)))];
    }

    /// <summary>
    /// The refusal for value problems: the first problem names the code; the first <see cref="ListedCells"/> problems
    /// list their cell, and <see cref="Problem.CellCount"/> counts them all.
    /// </summary>
    public static Problem ToProblem(IReadOnlyList<RuleViolation> problems)
    {
        var code = CodeOf(problems[0]);
        var cells = problems.Take(ListedCells).Select(p =>
        {
            var cell = p.Cells.Count > 0 ? p.Cells[0] : null;
            return new ProblemCell(cell?.CellId ?? p.Binding.GetValueOrDefault("cell") ?? "", cell?.RawText, p.Message, p.RuleId);
        }).ToList();
        return new Problem
        {
            Code = code,
            Title = TitleOf(code),
            Detail = problems.Count == 1 ? problems[0].Message
                : problems.Count <= ListedCells ? $"{problems[0].Message}（另有 {problems.Count - 1} 处数值问题，见 cells）"
                : $"{problems[0].Message}（共 {problems.Count} 处数值问题，cells 列出前 {ListedCells} 处）",
            Cells = cells,
            CellCount = problems.Count,
        };
    }

    private static string CodeOf(RuleViolation problem) => problem.RuleId switch
    {
        DocumentRuleIds.DuplicateCell => ProblemCodes.DuplicateCell,
        DocumentRuleIds.FormYear => ProblemCodes.WrongYear,
        ValueRuleIds.UnknownCell => ProblemCodes.UnknownCell,
        ValueRuleIds.Unit => ProblemCodes.WrongUnit,
        ValueRuleIds.Range => ProblemCodes.ValueOutOfRange,
        ValueRuleIds.Format => ProblemCodes.InvalidValue,
        _ when problem.Cells.Count > 0 && problem.Cells[0].Value < 0 => ProblemCodes.NegativeCount,
        _ => ProblemCodes.NotAnInteger,
    };

    private static string TitleOf(string code) => code switch
    {
        ProblemCodes.UnknownCell => "表中没有该单元格",
        ProblemCodes.DuplicateCell => "单元格重复填写",
        ProblemCodes.WrongYear => "报告年度不符",
        ProblemCodes.WrongUnit => "单位与该栏不符",
        ProblemCodes.ValueOutOfRange => "数值超出合理范围",
        ProblemCodes.NegativeCount => "数量不能为负数",
        ProblemCodes.NotAnInteger => "数量应为整数",
        _ => "数值无法识别",
    };
}

using System.Globalization;
using System.Text.RegularExpressions;
using Aggregator.Core.Forms;
using Aggregator.Core.Rules;
using Aggregator.Core.Values;

namespace Aggregator.Core.Text;

/// <summary>A statement of the narrative that contradicts the tables (zh-CN message quoting the report).</summary>
/// <param name="Quote">The words of the report that state the figure.</param>
/// <param name="CellIds">The cells the figure is compared with.</param>
public sealed record NarrativeFinding(string Rule, string Quote, decimal Stated, decimal InTable, IReadOnlyList<string> CellIds, string Message);

/// <summary>
/// Compares the figures the narrative states (收到申请22件, 予以公开及部分公开258件, 行政复议7件) with the same
/// figures in the tables, and reports each difference as a warning in the report's own words. A row's figure is its
/// 总计 when filled, else the sum of its applicant or result columns; a group's is the sum of its items. The Word
/// import shows them before anything is stored; validation stores them with the verdict of any version with a narrative.
/// </summary>
public static partial class NarrativeCheck
{
    /// <summary>A figure the narrative states differs from the same figure in the tables (正文与表格不符).</summary>
    public const string RuleId = "TEXT-FIGURE-MISMATCH";

    /// <summary>
    /// The warnings of a version's verdict for its narrative (paragraphs separated by line breaks, as a submission
    /// carries it): one per contradicted figure, naming the cells compared with their values.
    /// </summary>
    public static IReadOnlyList<RuleViolation> Violations(NormalizedTable table, string? narrative)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (string.IsNullOrWhiteSpace(narrative))
        {
            return [];
        }

        return [.. Check(table.Form, table, [narrative]).Select(finding => new RuleViolation(
            RuleId,
            Severity.Warning,
            false,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["stated"] = finding.Stated.ToString(CultureInfo.InvariantCulture),
                ["in_table"] = finding.InTable.ToString(CultureInfo.InvariantCulture),
                ["quote"] = finding.Quote,
            },
            [.. finding.CellIds.Select(id => new ViolationCell(id, table.GetValue(id), table.GetRawText(id)))],
            finding.Message))];
    }

    private static readonly string[] ApplicantColumns = ["natural_person", "commercial", "research", "public_interest", "legal_service", "other_org"];

    private static readonly string[] ResultColumns = ["upheld", "corrected", "other", "pending"];

    private static readonly Claim[] Claims =
    [
        new(ReceivedPattern(), "收到申请", "表三“一、本年新收政府信息公开申请数量”", ["r1_new"]),
        new(GrantedOrPartialPattern(), "予以公开及部分公开", "表三“（一）予以公开”与“（二）部分公开”合计", ["r3_1_granted", "r3_2_partial"]),
        new(GrantedPattern(), "予以公开", "表三“（一）予以公开”", ["r3_1_granted"]),
        new(WithheldPattern(), "不予公开", "表三“（三）不予公开”", ["r3_3"]),
        new(UnablePattern(), "无法提供", "表三“（四）无法提供”", ["r3_4"]),
        new(NotProcessedPattern(), "不予处理", "表三“（五）不予处理”", ["r3_5"]),
        new(AnsweredPattern(), "答复申请", "表三“（七）总计”", ["r3_7_total"]),
        new(ReviewPattern(), "行政复议", "表四“行政复议”总计", ["s4:review"]),
        new(LitigationPattern(), "行政诉讼", "表四“行政诉讼”（未经复议直接起诉与复议后起诉）总计", ["s4:lit_direct", "s4:lit_after_review"]),
    ];

    public static IReadOnlyList<NarrativeFinding> Check(FormDefinition form, NormalizedTable table, IEnumerable<string> paragraphs)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(paragraphs);
        if (!form.TryGetTable("s3", out var s3) || !form.TryGetTable("s4", out _))
        {
            return [];
        }

        var findings = new List<NarrativeFinding>();
        foreach (var sentence in paragraphs.SelectMany(p => SentenceBreak().Split(p)))
        {
            var claimed = new List<(int Start, int End)>();
            foreach (var claim in Claims)
            {
                foreach (Match match in claim.Pattern.Matches(sentence))
                {
                    var number = match.Groups["n"];
                    // 予以公开及部分公开258件 also reads as 部分公开258件: a figure counts for the first, longest claim only.
                    if (claimed.Exists(c => c.Start <= number.Index && number.Index < c.End))
                    {
                        continue;
                    }

                    claimed.Add((number.Index, number.Index + number.Length));
                    var cells = new List<string>();
                    if (Figure(form, s3, table, claim.Rows, cells) is not { } inTable)
                    {
                        continue;
                    }

                    var stated = decimal.Parse(number.Value, CultureInfo.InvariantCulture);
                    if (stated != inTable)
                    {
                        var quote = sentence.Trim();
                        findings.Add(new NarrativeFinding(
                            RuleId,
                            quote,
                            stated,
                            inTable,
                            cells,
                            $"正文“{quote}”称{claim.What} {stated} 件，{claim.TableWords}为 {inTable.ToString(CultureInfo.InvariantCulture)} 件，两者不一致"));
                    }
                }
            }
        }

        return findings;
    }

    private static decimal? Figure(FormDefinition form, TableDefinition s3, NormalizedTable table, string[] rows, List<string> cells)
    {
        decimal sum = 0;
        var any = false;
        foreach (var row in rows)
        {
            var parts = row.Split(':');
            var (tableId, rowId, columns) = parts.Length == 2 ? ("s4", parts[1], ResultColumns) : ("s3", row, ApplicantColumns);
            foreach (var item in tableId == "s3" ? Items(s3, rowId) : [rowId])
            {
                if (RowFigure(form, table, $"{tableId}.{item}", columns, cells) is { } value)
                {
                    sum += value;
                    any = true;
                }
            }
        }

        return any ? sum : null;
    }

    // A group row (（三）不予公开) has no cells of its own: its figure is the sum of its items.
    private static IEnumerable<string> Items(TableDefinition s3, string rowId) =>
        s3.Rows.Any(r => r.Id == rowId && r.HasCells)
            ? [rowId]
            : s3.Rows.Where(r => r.ParentId == rowId).SelectMany(r => Items(s3, r.Id));

    private static decimal? RowFigure(FormDefinition form, NormalizedTable table, string row, string[] columns, List<string> cells)
    {
        if (form.TryGetCell($"{row}.total", out var total) && table.GetValue(total.Index) is { } filled)
        {
            cells.Add(total.Id);
            return filled;
        }

        var present = columns.Select(c => form.TryGetCell($"{row}.{c}", out var cell) ? cell : null).OfType<CellDefinition>().ToList();
        if (present.Count == 0)
        {
            return null;
        }

        cells.AddRange(present.Select(c => c.Id));
        return present.Sum(c => table.GetValue(c.Index) ?? 0);
    }

    private sealed record Claim(Regex Pattern, string What, string TableWords, string[] Rows);

    [GeneratedRegex("[。；;！!？?\n]")]
    private static partial Regex SentenceBreak();

    [GeneratedRegex(@"(?:收到|受理|接收)[^，,。；、\d]{0,14}?申请(?:共计|共|合计)?(?<n>\d+)件")]
    private static partial Regex ReceivedPattern();

    [GeneratedRegex(@"予以公开(?:及|和|与)部分公开(?:共计|共|合计)?(?<n>\d+)件")]
    private static partial Regex GrantedOrPartialPattern();

    [GeneratedRegex(@"(?<!不)予以公开(?:共计|共|合计)?(?<n>\d+)件")]
    private static partial Regex GrantedPattern();

    [GeneratedRegex(@"不予公开(?:共计|共|合计)?(?<n>\d+)件")]
    private static partial Regex WithheldPattern();

    [GeneratedRegex(@"无法提供(?:共计|共|合计)?(?<n>\d+)件")]
    private static partial Regex UnablePattern();

    [GeneratedRegex(@"不予处理(?:共计|共|合计)?(?<n>\d+)件")]
    private static partial Regex NotProcessedPattern();

    [GeneratedRegex(@"答复[^，,。；、\d]{0,10}?申请(?:共计|共|合计)?(?<n>\d+)件")]
    private static partial Regex AnsweredPattern();

    [GeneratedRegex(@"行政复议(?:案件)?(?:共计|共|合计)?(?<n>\d+)件")]
    private static partial Regex ReviewPattern();

    [GeneratedRegex(@"诉讼(?:案件)?(?:共计|共|合计)?(?<n>\d+)件")]
    private static partial Regex LitigationPattern();
}

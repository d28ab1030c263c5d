using System.Text;
using System.Text.RegularExpressions;
using Aggregator.Core.Forms;

namespace Aggregator.Reporting.Model;

/// <summary>Recomputes the figures quoted in 一、总体情况 from the summed counts.</summary>
internal static partial class OverviewCalculator
{
    public static OverviewModel Calculate(ReportInput input, FormDefinition form, Func<string, decimal> valueOf)
    {
        var included = input.IncludedUnits.Count;
        var missing = input.MissingUnits.Count;
        var rejected = input.RejectedUnits.Count;
        var expected = included + missing + rejected;
        var paragraphs = new List<string>();
        if (expected > 0)
        {
            paragraphs.Add(CompletenessSentence(expected, included, missing, rejected, input.Edition == ReportEdition.Internal));
        }

        var figures = ApplicationFigures.For(form);
        if (figures is null)
        {
            return new OverviewModel(expected, included, missing, rejected, 0, null, 0, null, 0, 0, 0, null, [], 0, 0, null, null, paragraphs);
        }

        var newApplications = valueOf(figures.NewApplications);
        decimal? carriedIn = figures.CarriedIn is null ? null : valueOf(figures.CarriedIn);
        var resultsTotal = valueOf(figures.ResultsTotal);
        decimal? carriedOut = figures.CarriedOut is null ? null : valueOf(figures.CarriedOut);
        var granted = valueOf(figures.Granted);
        var partial = valueOf(figures.Partial);
        var grantedAndPartial = granted + partial;
        var share = CellValueFormatter.Share(grantedAndPartial, resultsTotal);
        var outcomes = Outcomes(form, figures, valueOf, resultsTotal);
        var review = valueOf(figures.Review);
        decimal? direct = figures.LitigationDirect is null ? null : valueOf(figures.LitigationDirect);
        decimal? afterReview = figures.LitigationAfterReview is null ? null : valueOf(figures.LitigationAfterReview);
        var litigation = figures.Litigation is not null ? valueOf(figures.Litigation) : (direct ?? 0) + (afterReview ?? 0);

        if (figures.IsOldForm)
        {
            paragraphs.Add(OldApplicationsSentence(input.Year, newApplications, resultsTotal, granted, partial, share));
            paragraphs.Add($"因政府信息公开申请被申请行政复议{N(review)}件，被提起行政诉讼{N(litigation)}件。");
        }
        else
        {
            paragraphs.Add(ApplicationsSentence(input.Year, newApplications, carriedIn ?? 0, resultsTotal, carriedOut ?? 0, outcomes, grantedAndPartial, share));
            var reviewParts = string.Join("、", figures.ReviewParts.Select(p => $"{p.Label}{N(valueOf(p.CellId))}件"));
            paragraphs.Add(
                $"因政府信息公开工作被申请行政复议{N(review)}件（{reviewParts}），被提起行政诉讼{N(litigation)}件"
                + $"（未经复议直接起诉{N(direct ?? 0)}件、复议后起诉{N(afterReview ?? 0)}件）。");
        }

        return new OverviewModel(
            expected,
            included,
            missing,
            rejected,
            newApplications,
            carriedIn,
            resultsTotal,
            carriedOut,
            granted,
            partial,
            grantedAndPartial,
            share,
            outcomes,
            review,
            litigation,
            direct,
            afterReview,
            paragraphs);
    }

    private static string CompletenessSentence(int expected, int included, int missing, int rejected, bool withAnnex)
    {
        var text = new StringBuilder($"本报告应汇总单位{expected}个，实际汇总{included}个");
        if (missing > 0)
        {
            text.Append($"，未报送{missing}个");
        }

        if (rejected > 0)
        {
            text.Append($"，报表未通过校验、未计入汇总{rejected}个");
        }

        // The public edition has no annex to point to.
        return text.Append(withAnnex ? "（名单见附件2）。" : "。").ToString();
    }

    private static string ApplicationsSentence(
        int year,
        decimal newApplications,
        decimal carriedIn,
        decimal resultsTotal,
        decimal carriedOut,
        List<OutcomeFigure> outcomes,
        decimal grantedAndPartial,
        string? share)
    {
        var text = new StringBuilder($"{year}年，共新收政府信息公开申请{N(newApplications)}件，上年结转{N(carriedIn)}件。");
        text.Append($"本年度办理结果总计{N(resultsTotal)}件");
        if (share is not null && outcomes.Count >= 2)
        {
            text.Append($"，其中{outcomes[0].Label}{N(outcomes[0].Count)}件、{outcomes[1].Label}{N(outcomes[1].Count)}件，");
            text.Append($"{outcomes[0].Label}及{outcomes[1].Label}合计{N(grantedAndPartial)}件，占{share}");
            foreach (var outcome in outcomes.Skip(2))
            {
                text.Append($"；{outcome.Label}{N(outcome.Count)}件，占{outcome.Share}");
            }
        }

        return text.Append($"。结转下年度继续办理{N(carriedOut)}件。").ToString();
    }

    private static string OldApplicationsSentence(int year, decimal received, decimal answered, decimal granted, decimal partial, string? share)
    {
        var text = new StringBuilder($"{year}年，共收到政府信息公开申请{N(received)}件，申请答复{N(answered)}件");
        if (share is not null)
        {
            text.Append($"，其中同意公开{N(granted)}件、同意部分公开{N(partial)}件，合计{N(granted + partial)}件，占申请答复数的{share}");
        }

        return text.Append('。').ToString();
    }

    // The kinds of result are the rows under the results group; a kind with sub-reasons (（三）不予公开) counts its reasons.
    private static List<OutcomeFigure> Outcomes(FormDefinition form, ApplicationFigures figures, Func<string, decimal> valueOf, decimal resultsTotal)
    {
        if (!form.TryGetTable(figures.TableId, out var table))
        {
            return [];
        }

        var outcomes = new List<OutcomeFigure>();
        foreach (var kind in table.Rows.Where(r => r.ParentId == figures.OutcomeParentRow && r.Id != figures.ResultsTotalRow))
        {
            var count = kind.HasCells
                ? valueOf(figures.CellOf(kind.Id))
                : table.Rows.Where(r => r.ParentId == kind.Id && r.HasCells).Sum(r => valueOf(figures.CellOf(r.Id)));
            outcomes.Add(new OutcomeFigure(ShortLabel(kind.Label), count, CellValueFormatter.Share(count, resultsTotal)));
        }

        return outcomes;
    }

    /// <summary>A row label without its numbering, fill note or trailing 数: （二）部分公开（区分处理的…） → 部分公开.</summary>
    public static string ShortLabel(string label)
    {
        var text = Numbering().Replace(label, string.Empty);
        var note = text.IndexOf('（', StringComparison.Ordinal);
        if (note > 0 && text.EndsWith('）'))
        {
            text = text[..note];
        }

        return text.Length > 2 && text.EndsWith('数') ? text[..^1] : text;
    }

    private static string N(decimal value) => CellValueFormatter.Count(value);

    [GeneratedRegex(@"^(（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|\d+\.)")]
    private static partial Regex Numbering();

    private sealed record ApplicationFigures(
        bool IsOldForm,
        string TableId,
        string ColumnId,
        string NewApplications,
        string? CarriedIn,
        string ResultsTotal,
        string ResultsTotalRow,
        string OutcomeParentRow,
        string? CarriedOut,
        string Granted,
        string Partial,
        string Review,
        IReadOnlyList<(string Label, string CellId)> ReviewParts,
        string? Litigation,
        string? LitigationDirect,
        string? LitigationAfterReview)
    {
        // fmt_2019 and fmt_2021 share every cell id of tables 三 and 四; the old form has its own.
        private static readonly ApplicationFigures National = new(
            IsOldForm: false,
            TableId: "s3",
            ColumnId: "total",
            NewApplications: "s3.r1_new.total",
            CarriedIn: "s3.r2_carried_in.total",
            ResultsTotal: "s3.r3_7_total.total",
            ResultsTotalRow: "r3_7_total",
            OutcomeParentRow: "r3",
            CarriedOut: "s3.r4_carry_out.total",
            Granted: "s3.r3_1_granted.total",
            Partial: "s3.r3_2_partial.total",
            Review: "s4.review.total",
            ReviewParts: [("结果维持", "s4.review.upheld"), ("结果纠正", "s4.review.corrected"), ("其他结果", "s4.review.other"), ("尚未审结", "s4.review.pending")],
            Litigation: null,
            LitigationDirect: "s4.lit_direct.total",
            LitigationAfterReview: "s4.lit_after_review.total");

        private static readonly ApplicationFigures Old = new(
            IsOldForm: true,
            TableId: "stat",
            ColumnId: "value",
            NewApplications: "stat.s3_1.value",
            CarriedIn: null,
            ResultsTotal: "stat.s3_3.value",
            ResultsTotalRow: "s3_3",
            OutcomeParentRow: "s3_3",
            CarriedOut: null,
            Granted: "stat.s3_3_2.value",
            Partial: "stat.s3_3_3.value",
            Review: "stat.s4.value",
            ReviewParts: [],
            Litigation: "stat.s5.value",
            LitigationDirect: null,
            LitigationAfterReview: null);

        public string CellOf(string rowId) => $"{TableId}.{rowId}.{ColumnId}";

        public static ApplicationFigures? For(FormDefinition form) =>
            new[] { National, Old }.FirstOrDefault(f =>
                form.TryGetCell(f.NewApplications, out _) && form.TryGetCell(f.ResultsTotal, out _) && form.TryGetCell(f.Review, out _));
    }
}

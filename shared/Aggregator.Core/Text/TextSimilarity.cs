using System.Globalization;
using Aggregator.Core.Rules;

namespace Aggregator.Core.Text;

/// <summary>Another report's narrative to compare with: another unit's of the same period, or the unit's own of the year before.</summary>
/// <param name="UnitName">The other unit's name, as the warning names it.</param>
/// <param name="Year">The report year of the other text.</param>
public sealed record ComparedText(string UnitCode, string UnitName, int Year, SentenceFingerprint Fingerprint);

/// <summary>
/// 内容雷同: warns when most sentences of a report's narrative are found in another unit's report of the same year,
/// or in the unit's own report of the year before. Warnings only: a copied narrative does not change the figures.
/// </summary>
public static class TextSimilarity
{
    /// <summary>Another unit's report of the same period has most of the same sentences.</summary>
    public const string SameAsUnitRuleId = "TEXT-SAME-AS-UNIT";

    /// <summary>The unit's own report of the year before has most of the same sentences.</summary>
    public const string SameAsLastYearRuleId = "TEXT-SAME-AS-LAST-YEAR";

    /// <summary>The share of a narrative's sentences found in another text from which the two count as the same.</summary>
    public const double Threshold = 0.6;

    /// <summary>Fewer sentences than this say too little to call a text copied (a one-line narrative).</summary>
    public const int MinSentences = 3;

    /// <summary>At most this many other units are named, the most similar first.</summary>
    public const int MaxUnitsNamed = 3;

    public static bool IsSimilarityRule(string ruleId) => ruleId is SameAsUnitRuleId or SameAsLastYearRuleId;

    /// <summary>The warnings for <paramref name="own"/>, compared with other units' texts and with last year's own text.</summary>
    public static IReadOnlyList<RuleViolation> Check(
        SentenceFingerprint own, IEnumerable<ComparedText> otherUnits, ComparedText? lastYear)
    {
        ArgumentNullException.ThrowIfNull(own);
        ArgumentNullException.ThrowIfNull(otherUnits);
        if (own.Count < MinSentences)
        {
            return [];
        }

        var warnings = otherUnits
            .Select(other => (Other: other, Share: own.ShareWith(other.Fingerprint)))
            .Where(pair => pair.Share >= Threshold)
            .OrderByDescending(pair => pair.Share)
            .ThenBy(pair => pair.Other.UnitCode, StringComparer.Ordinal)
            .Take(MaxUnitsNamed)
            .Select(pair => Warning(SameAsUnitRuleId, pair.Other, pair.Share, $"报告正文与{pair.Other.UnitName}的报告有 {Percent(pair.Share)}% 的句子相同（内容雷同）"))
            .ToList();
        if (lastYear is not null && own.ShareWith(lastYear.Fingerprint) is var share && share >= Threshold)
        {
            warnings.Add(Warning(SameAsLastYearRuleId, lastYear, share,
                $"报告正文与本单位 {lastYear.Year} 年度的报告有 {Percent(share)}% 的句子相同（内容雷同，请写明本年度情况）"));
        }

        return warnings;
    }

    private static RuleViolation Warning(string ruleId, ComparedText other, double share, string message) => new(
        ruleId,
        Severity.Warning,
        false,
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["unit_code"] = other.UnitCode,
            ["unit_name"] = other.UnitName,
            ["year"] = other.Year.ToString(CultureInfo.InvariantCulture),
            ["share"] = Percent(share).ToString(CultureInfo.InvariantCulture),
        },
        [],
        message);

    // Rounded down, so a share just under the threshold is never printed as the threshold; the epsilon keeps 3/5
    // from printing as 59 when the product falls just below 60 in binary.
    private static int Percent(double share) => (int)Math.Floor((share * 100) + 1e-9);
}

using Aggregator.Core.Rules;
using Aggregator.Core.Text;

namespace Aggregator.Core.Tests.Text;

public sealed class TextSimilarityTests
{
    private const string Finance = """
        一、总体情况
        2019年，区财政局认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政府信息公开工作。
        全年主动公开政府信息共计128条，其中财政预决算信息36条；
        本机关通过门户网站、政务新媒体等渠道及时发布信息！
        二、存在的主要问题及改进情况
        信息公开的及时性和规范性仍有待进一步提高？
        """;

    [Fact]
    public void Splits_at_Chinese_and_Western_sentence_ends_and_line_breaks_and_drops_short_headings()
    {
        var sentences = SentenceFingerprint.Sentences("一、总体情况\n本机关全年主动公开信息共计12条。依申请公开办理及时！存在问题需要改进提高？下一步工作持续推进落实；ok.");

        Assert.Equal(["本机关全年主动公开信息共计12条", "依申请公开办理及时", "存在问题需要改进提高", "下一步工作持续推进落实"], sentences);
    }

    [Fact]
    public void Whitespace_full_width_characters_and_punctuation_do_not_make_a_sentence_different()
    {
        var a = SentenceFingerprint.Of("本机关，全年主动公开政府信息１２８条（含财政信息）。");
        var b = SentenceFingerprint.Of("本机关 全年主动公开政府信息128条含财政信息 。");

        Assert.Equal(1, a.Count);
        Assert.Equal(1.0, a.ShareWith(b));
    }

    [Fact]
    public void The_share_is_the_part_of_its_own_distinct_sentences_found_in_the_other_text()
    {
        var own = SentenceFingerprint.Of("甲机关本年度主动公开信息。甲机关本年度主动公开信息。乙项工作按时完成并已归档。丙项工作仍在持续推进中。丁项问题已经全部整改到位。");
        var other = SentenceFingerprint.Of("甲机关本年度主动公开信息。乙项工作按时完成并已归档。另有一句完全不同的话语。");

        Assert.Equal(4, own.Count);
        Assert.Equal(0.5, own.ShareWith(other));
        Assert.Equal(2.0 / 3, other.ShareWith(own), 10);
        Assert.Equal(0, SentenceFingerprint.Empty.ShareWith(own));
    }

    [Fact]
    public void The_stored_form_reads_back_to_the_same_hashes()
    {
        var fingerprint = SentenceFingerprint.Of(Finance);

        var stored = fingerprint.ToString();
        var read = SentenceFingerprint.Parse(stored);

        Assert.Equal(5, fingerprint.Count);
        Assert.Equal(fingerprint.Hashes, read.Hashes);
        Assert.Matches("^[0-9a-f]{16}( [0-9a-f]{16}){4}$", stored);
        Assert.Equal(0, SentenceFingerprint.Parse("").Count);
        Assert.Throws<FormatException>(() => SentenceFingerprint.Parse("xyz"));
    }

    [Fact]
    public void A_nearly_copied_narrative_is_warned_naming_the_other_unit_and_the_share()
    {
        var copied = Finance.Replace("区财政局", "区教育局", StringComparison.Ordinal);
        var own = SentenceFingerprint.Of(copied);
        var finance = new ComparedText("fin", "区财政局", 2019, SentenceFingerprint.Of(Finance));
        var unrelated = new ComparedText("hlt", "区卫健委", 2019, SentenceFingerprint.Of("卫健委全年公开医疗机构信息。卫健委开展公开培训三次。卫健委的问题是人员不足。"));

        var warning = Assert.Single(TextSimilarity.Check(own, [unrelated, finance], lastYear: null));

        Assert.Equal(TextSimilarity.SameAsUnitRuleId, warning.RuleId);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Equal("报告正文与区财政局的报告有 80% 的句子相同（内容雷同）", warning.Message);
        Assert.Equal("80", warning.Binding["share"]);
        Assert.Equal("fin", warning.Binding["unit_code"]);
    }

    [Fact]
    public void Last_years_own_text_repeated_is_warned_with_its_year()
    {
        var own = SentenceFingerprint.Of(Finance);
        var lastYear = new ComparedText("fin", "区财政局", 2018, SentenceFingerprint.Of(Finance));

        var warning = Assert.Single(TextSimilarity.Check(own, [], lastYear));

        Assert.Equal(TextSimilarity.SameAsLastYearRuleId, warning.RuleId);
        Assert.Equal("报告正文与本单位 2018 年度的报告有 100% 的句子相同（内容雷同，请写明本年度情况）", warning.Message);
    }

    [Fact]
    public void A_share_below_the_threshold_or_a_narrative_of_too_few_sentences_gets_no_warning()
    {
        var own = SentenceFingerprint.Of("第一句话写得很长很长。第二句话也写得很长。第三句话同样写得很长。第四句话依旧写得很长。第五句话还是写得很长。");
        var half = new ComparedText("x", "某单位", 2019, SentenceFingerprint.Of("第一句话写得很长很长。第二句话也写得很长。第三句话同样写得很长。"));
        var short1 = SentenceFingerprint.Of("第一句话写得很长很长。第二句话也写得很长。");

        Assert.Equal(0.6, own.ShareWith(half.Fingerprint), 10);
        Assert.Single(TextSimilarity.Check(own, [half], null));
        Assert.Empty(TextSimilarity.Check(SentenceFingerprint.Of("第一句话写得很长很长。第二句话也写得很长。第六句话并不相同的。第七句话并不相同的。"), [half], null));
        Assert.Empty(TextSimilarity.Check(short1, [half], null));
    }
}

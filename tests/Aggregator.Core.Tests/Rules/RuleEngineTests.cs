using Aggregator.Core.Forms;
using Aggregator.Core.Rules;
using Aggregator.Core.Tests.Support;
using Aggregator.Core.Values;

namespace Aggregator.Core.Tests.Rules;

public sealed class RuleEngineTests
{
    private static FormDefinition Fmt2019 => FormCatalog.Default.Get("fmt_2019");

    private static FormDefinition Fmt2021 => FormCatalog.Default.Get("fmt_2021");

    [Fact]
    public void Accepts_an_empty_table_because_blank_counts_as_zero()
    {
        Assert.Empty(RuleEvaluator.Evaluate(NormalizedTable.Blank(Fmt2019)));
    }

    [Fact]
    public void Rejects_a_table_whose_column_does_not_balance_and_quotes_both_sides()
    {
        var table = Table(Fmt2019, ("s3.r1_new.natural_person", 5), ("s3.r1_new.total", 5), ("s3.r3_7_total.natural_person", 4), ("s3.r3_7_total.total", 4),
            ("s3.r3_1_granted.natural_person", 4), ("s3.r3_1_granted.total", 4));

        var violations = RuleEvaluator.Evaluate(table);

        Assert.Equal(["S3-BALANCE", "S3-BALANCE"], violations.Select(v => v.RuleId));
        var natural = violations.Single(v => v.Binding["c"] == "natural_person");
        Assert.True(natural.Official);
        Assert.Equal(Severity.Error, natural.Severity);
        Assert.Equal("表三“自然人”列：第一项加第二项之和为 5（5 + 0），不等于第三项加第四项之和 4（4 + 0）", natural.Message);
        Assert.Equal(["s3.r1_new.natural_person", "s3.r2_carried_in.natural_person", "s3.r3_7_total.natural_person", "s3.r4_carry_out.natural_person"],
            natural.Cells.Select(c => c.CellId));
        Assert.Equal([5m, null, 4m, null], natural.Cells.Select(c => c.Value));
    }

    [Fact]
    public void Warns_separately_about_a_blank_total_beside_non_zero_parts()
    {
        var table = Table(Fmt2019, ("s4.review.upheld", 2), ("s3.r4_carry_out.research", 1));

        var violations = RuleEvaluator.Evaluate(table);

        Assert.Contains(violations, v => v.RuleId == "S4-REVIEW-TOTAL" && v.Severity == Severity.Error);
        var blank = Assert.Single(violations, v => v.RuleId == "S3-TOTAL-BLANK");
        Assert.Equal(Severity.Warning, blank.Severity);
        Assert.Equal("r4_carry_out", blank.Binding["r"]);
        Assert.Contains("四、结转下年度继续办理", blank.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Does_not_warn_about_a_total_written_as_zero_beside_blank_parts()
    {
        var table = Table(Fmt2019, ("s3.r1_new.total", 0));

        Assert.Empty(RuleEvaluator.Evaluate(table));
    }

    [Fact]
    public void Reports_only_the_failing_half_of_a_conjunction()
    {
        var form = FormCatalog.Default.Get("stat_pre2019");
        var table = Table(form, ("stat.s2_2_1.value", 3), ("stat.s2_2_1a.value", 1), ("stat.s2_2_2.value", 1), ("stat.s2_2_2a.value", 2));

        var violation = Assert.Single(RuleEvaluator.Evaluate(table));

        Assert.Equal("OLD-S2-LEADER-SUBSET", violation.RuleId);
        Assert.Equal("“其中：主要负责同志参加政府网站在线访谈次数”为 2，大于“2.政府网站在线访谈次数”1", violation.Message);
    }

    [Fact]
    public void Checks_the_carry_over_against_last_years_table_only_when_it_is_given()
    {
        var thisYear = Table(Fmt2021, ("s3.r2_carried_in.natural_person", 3), ("s3.r2_carried_in.total", 3),
            ("s3.r4_carry_out.natural_person", 3), ("s3.r4_carry_out.total", 3));
        var lastYear = Table(Fmt2019, ("s3.r4_carry_out.natural_person", 2), ("s3.r4_carry_out.total", 2));

        Assert.Empty(RuleEvaluator.Evaluate(thisYear));
        var violations = RuleEvaluator.Evaluate(thisYear, lastYear);

        Assert.Equal(["natural_person", "total"], violations.Where(v => v.RuleId == "X-YEAR-CARRY").Select(v => v.Binding["c"]));
        var total = violations.Single(v => v.RuleId == "X-YEAR-CARRY" && v.Binding["c"] == "total");
        Assert.Equal(Severity.Warning, total.Severity);
        Assert.Contains(total.Cells, c => c.CellId == "prev:s3.r4_carry_out.total" && c.Value == 2m);
        Assert.Contains("为 3，但上一年度“四、结转下年度继续办理”为 2", total.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Skips_a_cross_year_rule_whose_cells_last_years_format_does_not_have()
    {
        var thisYear = Table(Fmt2021, ("s2_1.regulation.in_force", 10), ("s2_1.regulation.issued", 1));
        var lastYearOldFormat = Table(Fmt2019, ("s2_1.regulation.total_published", 3));

        Assert.DoesNotContain(RuleEvaluator.Evaluate(thisYear, lastYearOldFormat), v => v.RuleId == "X-YEAR-IN-FORCE");
    }

    [Fact]
    public void Rolls_the_documents_in_force_forward_from_last_year()
    {
        var lastYear = Table(Fmt2021, ("s2_1.normative_doc.in_force", 10));
        var consistent = Table(Fmt2021, ("s2_1.normative_doc.in_force", 11), ("s2_1.normative_doc.issued", 3), ("s2_1.normative_doc.repealed", 2));
        var inconsistent = consistent.WithValue("s2_1.normative_doc.in_force", 15m);

        Assert.Empty(RuleEvaluator.Evaluate(consistent, lastYear));
        var violation = Assert.Single(RuleEvaluator.Evaluate(inconsistent, lastYear));
        Assert.Equal("X-YEAR-IN-FORCE", violation.RuleId);
        Assert.Contains("为 15，但上年现行有效件数加本年制发件数减本年废止件数为 11（10 + 3 − 2）", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validates_a_submission_with_last_years_submission()
    {
        var thisYear = Document("fmt_2021", 2021, ("s3.r2_carried_in.total", "1"), ("s3.r2_carried_in.natural_person", "1"),
            ("s3.r3_1_granted.natural_person", "1"), ("s3.r3_1_granted.total", "1"), ("s3.r3_7_total.natural_person", "1"), ("s3.r3_7_total.total", "1"));
        var lastYear = Document("fmt_2019", 2020, ("s3.r4_carry_out.total", "1"), ("s3.r4_carry_out.natural_person", "1"),
            ("s3.r1_new.total", "1"), ("s3.r1_new.natural_person", "1"));

        var result = SubmissionValidator.Default.Validate(thisYear, lastYear);

        Assert.Equal(ValidationOutcome.Accepted, result.Outcome);
    }

    [Fact]
    public void Refuses_a_submission_in_an_unknown_format()
    {
        var ex = Assert.Throws<UnknownFormatException>(() => SubmissionValidator.Default.Validate(Document("fmt_1999", 1999)));

        Assert.Equal("fmt_1999", ex.FormatId);
        Assert.Contains("fmt_2019", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("t.r.a == t.r.b + 2", 5, 3, true)]
    [InlineData("t.r.a == t.r.b + 2", 5, 4, false)]
    [InlineData("t.r.a - t.r.b >= 0", 5, 4, true)]
    [InlineData("t.r.a - (t.r.b - 1) == 2", 5, 4, true)]
    [InlineData("-t.r.a + sum(t.r.b, 1) < 0", 5, 3, true)]
    [InlineData("t.r.a > t.r.b", 5, 5, false)]
    [InlineData("t.r.a <= t.r.b and t.r.b <= 10", 5, 11, false)]
    [InlineData("t.r.a > 0 -> t.r.b > 0", 0, 0, true)]
    [InlineData("t.r.a > 0 -> t.r.b > 0", 1, 0, false)]
    [InlineData("t.r.a == 0.5", 1, 0, false)]
    public void Evaluates_the_rule_language(string expression, int a, int b, bool holds)
    {
        var form = FormCatalog.FromJson(FormFiles.Minimal("test", 2030, expression)).Get("test");
        var table = Table(form, ("t.r.a", a), ("t.r.b", b));

        Assert.Equal(holds, RuleEvaluator.Evaluate(table).Count == 0);
    }

    [Fact]
    public void Tests_blank_cells_apart_from_zero()
    {
        var form = FormCatalog.FromJson(FormFiles.Minimal("test", 2030, "blank(t.r.a)", "“{row:t.r.a}”应为空，实为 {cell:t.r.a}", "warning")).Get("test");

        Assert.Empty(RuleEvaluator.Evaluate(NormalizedTable.Blank(form)));
        var violation = Assert.Single(RuleEvaluator.Evaluate(Table(form, ("t.r.a", 0))));
        Assert.Equal("“一、测试行”应为空，实为 0", violation.Message);
        Assert.Equal(ValidationOutcome.AcceptedWithWarnings, RuleEvaluator.OutcomeOf([violation]));
    }

    internal static NormalizedTable Table(FormDefinition form, params (string Cell, decimal Value)[] values) =>
        NormalizedTable.FromValues(form, values.Select(v => new KeyValuePair<string, decimal?>(v.Cell, v.Value)));

    private static SubmissionDocument Document(string formatId, int year, params (string Cell, string Text)[] cells) => new()
    {
        FormatId = formatId,
        Year = year,
        UnitName = "测试单位",
        Raw = cells.ToDictionary(c => c.Cell, c => c.Text),
    };
}

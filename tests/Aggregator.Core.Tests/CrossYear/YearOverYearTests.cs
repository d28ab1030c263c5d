using Aggregator.Core.CrossYear;
using Aggregator.Core.Forms;
using Aggregator.Core.Rules;
using Aggregator.Core.Tests.Rules;
using Aggregator.Core.Values;

namespace Aggregator.Core.Tests.CrossYear;

public sealed class YearOverYearTests
{
    private static FormDefinition Old => FormCatalog.Default.Get("stat_pre2019");

    private static FormDefinition Fmt2019 => FormCatalog.Default.Get("fmt_2019");

    private static FormDefinition Fmt2021 => FormCatalog.Default.Get("fmt_2021");

    private static NormalizedTable Table(FormDefinition form, params (string Cell, decimal Value)[] values) => RuleEngineTests.Table(form, values);

    [Fact]
    public void Lists_the_changed_figures_of_one_format_largest_change_first_and_leaves_out_the_unchanged()
    {
        var lastYear = Table(Fmt2019, ("s3.r1_new.total", 16), ("s3.r1_new.natural_person", 16), ("s4.review.total", 1), ("s2_5.license.decisions", 31252));
        var thisYear = Table(Fmt2019, ("s3.r1_new.total", 20), ("s3.r1_new.natural_person", 16), ("s4.review.total", 0), ("s2_5.license.decisions", 30000));

        var comparison = YearOverYearComparison.Compare(thisYear, lastYear);

        Assert.Equal(["s2_5.license.decisions", "s3.r1_new.total", "s4.review.total"], comparison.Changes.Select(c => c.Figure.Key));
        Assert.Equal(-1252m, comparison.Changes[0].Change);
        Assert.Equal((16m, 20m, 4m), (comparison.Changes[1].Previous!.Value, comparison.Changes[1].Current!.Value, comparison.Changes[1].Change));
        Assert.Equal(0.25m, comparison.Changes[1].Rate);
        Assert.Equal(Fmt2019.Cells.Count(c => !c.IsHeading), comparison.ComparedFigures);
        Assert.Empty(comparison.Mapping.NotComparable);
    }

    [Fact]
    public void Maps_2019_to_2021_by_the_cell_ids_both_keep_and_the_other_handling_row_to_the_sum_of_its_three_rows()
    {
        var mapping = YearOverYearMapping.Between(Fmt2021, Fmt2019);
        var keys = mapping.Figures.Select(f => f.Key).ToList();

        Assert.Contains("s3.r4_carry_out.total", keys);
        Assert.Contains("s4.lit_after_review.pending", keys);
        Assert.Contains("s2_5.license.decisions", keys);
        Assert.Contains("s3.r3_6_1.total+s3.r3_6_2.total+s3.r3_6_3.total", keys);
        Assert.DoesNotContain(keys, k => k.StartsWith("s2_1.", StringComparison.Ordinal) || k.StartsWith("s2_8.", StringComparison.Ordinal));
        var other = mapping.Figures.Single(f => f.Key == "s3.r3_6_1.total+s3.r3_6_2.total+s3.r3_6_3.total");
        Assert.Equal([Fmt2019.GetCell("s3.r3_6_other.total").Index], other.PreviousCells);
        Assert.Equal("表三（六）其他处理（总计，各项合计）", other.Label);

        var lastYear = Table(Fmt2019, ("s3.r3_6_other.total", 2), ("s2_1.regulation.new_made", 4));
        var thisYear = Table(Fmt2021, ("s3.r3_6_1.total", 1), ("s3.r3_6_3.total", 4), ("s2_1.regulation.issued", 4));
        var change = Assert.Single(YearOverYearComparison.Compare(thisYear, lastYear).Changes);
        Assert.Equal((2m, 5m, 3m), (change.Previous!.Value, change.Current!.Value, change.Change));
    }

    [Fact]
    public void Says_which_tables_of_2019_and_2021_cannot_be_compared()
    {
        var lines = YearOverYearMapping.Between(Fmt2021, Fmt2019).NotComparable;

        Assert.Contains(lines, l => l.StartsWith("第二十条第（一）项：仅2019年版表式有此表", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("第二十条第（一）项：仅2021年版表式有此表", StringComparison.Ordinal));
        Assert.Contains("第二十条第（五）项：2019年版表式的“行政许可（上一年项目数量、本年增/减）”“其他对外管理服务事项”在另一表式中没有对应项目，不作比较。", lines);
        Assert.Contains(lines, l => l.StartsWith("第二十条第（九）项：仅2019年版表式有此表", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("表三", StringComparison.Ordinal) || l.StartsWith("表四", StringComparison.Ordinal));
    }

    [Fact]
    public void Compares_the_old_statistics_table_with_2019_only_on_the_applications_received()
    {
        var mapping = YearOverYearMapping.Between(Fmt2019, Old);

        var figure = Assert.Single(mapping.Figures);
        Assert.Equal("s3.r1_new.total", figure.Key);
        Assert.Equal([Old.GetCell("stat.s3_1.value").Index], figure.PreviousCells);
        Assert.Contains(mapping.NotComparable, l => l.StartsWith("统计表：2018年及以前的", StringComparison.Ordinal) && l.Contains("口径不同，不作比较", StringComparison.Ordinal));
        Assert.Contains(mapping.NotComparable, l => l.StartsWith("表四：仅2019年版表式有此表", StringComparison.Ordinal));
    }

    [Fact]
    public void Reports_a_carry_over_that_differs_from_last_years_carry_out_with_both_numbers()
    {
        var lastYear = Table(Fmt2019, ("s3.r4_carry_out.natural_person", 0), ("s3.r4_carry_out.total", 0));
        var thisYear = Table(Fmt2019, ("s3.r2_carried_in.natural_person", 2), ("s3.r2_carried_in.total", 2));

        var checks = YearOverYearComparison.Compare(thisYear, lastYear).Checks;

        Assert.Equal(["natural_person", "total"], checks.Select(c => c.Binding["c"]));
        Assert.All(checks, c => Assert.Equal(("X-YEAR-CARRY", Severity.Warning), (c.RuleId, c.Severity)));
        Assert.Equal("表三“总计”列：本年“二、上年结转政府信息公开申请数量”为 2，但上一年度“四、结转下年度继续办理”为 0", checks[1].Message);
    }

    [Fact]
    public void Reports_last_years_item_count_plus_its_change_that_differs_from_this_years_previous_year_items()
    {
        var lastYear = Table(Fmt2019, ("s2_5.license.prev_year_items", 608), ("s2_5.license.change", 441), ("s2_6.penalty.prev_year_items", 911), ("s2_6.penalty.change", 277));
        var thisYear = Table(Fmt2019, ("s2_5.license.prev_year_items", 1049), ("s2_6.penalty.prev_year_items", 1100));

        var check = Assert.Single(YearOverYearComparison.Compare(thisYear, lastYear).Checks);

        Assert.Equal(("X-YEAR-ITEMS", "s2_6.penalty"), (check.RuleId, check.Binding["r"]));
        Assert.Equal("“第二十条第（六）项 行政处罚（上一年项目数量）”：本年为 1100，但上一年度报告的上一年项目数量加本年增/减为 1188（911 + 277），二者应相等", check.Message);
        Assert.Contains(check.Cells, c => c.CellId == "prev:s2_6.penalty.change" && c.Value == 277m);
    }

    [Fact]
    public void Leaves_the_item_count_unchecked_where_last_year_did_not_fill_both_figures()
    {
        var lastYear = Table(Fmt2019, ("s2_5.license.prev_year_items", 608));
        var thisYear = Table(Fmt2019, ("s2_5.license.prev_year_items", 700));

        Assert.DoesNotContain(RuleEvaluator.Evaluate(thisYear, lastYear), v => v.RuleId == "X-YEAR-ITEMS");
        Assert.DoesNotContain(RuleEvaluator.Evaluate(thisYear), v => v.RuleId == "X-YEAR-ITEMS");
    }

    [Fact]
    public void Does_not_check_the_item_count_of_2021_which_has_no_such_columns()
    {
        var lastYear = Table(Fmt2019, ("s2_5.license.prev_year_items", 608), ("s2_5.license.change", 441), ("s3.r4_carry_out.total", 1), ("s3.r4_carry_out.natural_person", 1));
        var thisYear = Table(Fmt2021, ("s3.r2_carried_in.total", 1), ("s3.r2_carried_in.natural_person", 1));

        Assert.Empty(YearOverYearComparison.Compare(thisYear, lastYear).Checks);
    }
}

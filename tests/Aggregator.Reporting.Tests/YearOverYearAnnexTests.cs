using Aggregator.Reporting.Model;
using Aggregator.Reporting.Tests.Support;

namespace Aggregator.Reporting.Tests;

/// <summary>附件4: the year-over-year comparison in the model and in every output that prints it.</summary>
public sealed class YearOverYearAnnexTests
{
    /// <summary>A 2021 district whose units' 2020 tables (fmt_2019) are last year's; unit 1 carried out 5 more than it carries in.</summary>
    private static ReportInput WithLastYear()
    {
        var input = ReportInputs.District("fmt_2021", 2021, 3);
        var lastYear = ReportInputs.District("fmt_2019", 2020, 3);
        var first = input.IncludedUnits[0];
        var units = lastYear.IncludedUnits.Select(u =>
        {
            var values = u.Values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
            if (u.Code == first.Code)
            {
                values["s3.r4_carry_out.total"] = (first.Values.GetValueOrDefault("s3.r2_carried_in.total") ?? 0m) + 5m;
            }

            return new PreviousYearUnit(u.Code, values);
        });
        return input with { PreviousYear = new PreviousYearInput(2020, "fmt_2019", [.. units]) };
    }

    [Fact]
    public void Lists_the_failing_checks_and_the_largest_changes_first_within_the_bounds()
    {
        var model = ReportModelBuilder.Default.Build(WithLastYear()).YearOverYear;

        Assert.True(model.Available);
        Assert.False(model.SameFormat);
        var check = Assert.Single(model.Checks);
        Assert.Equal(("330305001", "X-YEAR-CARRY", "警告"), (check.UnitCode, check.RuleId, check.Severity));
        Assert.Contains("表三“总计”列", check.Message, StringComparison.Ordinal);
        Assert.NotEmpty(model.NotComparable);
        Assert.InRange(model.Largest.Count, 1, YearOverYearModel.MaxOverall);
        Assert.Equal(model.Largest.Select(c => Math.Abs(c.ChangeAmount)).OrderDescending(), model.Largest.Select(c => Math.Abs(c.ChangeAmount)));
        Assert.All(model.Units, u => Assert.InRange(u.Changes.Count, 0, YearOverYearModel.MaxPerUnit));
        Assert.DoesNotContain(model.Largest, c => c.Key.StartsWith("s2_1.", StringComparison.Ordinal));
    }

    [Fact]
    public void Prints_the_annex_in_html_markdown_word_and_the_workbook_only_with_last_years_data()
    {
        var renderer = ReportRenderer.CreateDefault();
        var input = WithLastYear();

        var html = renderer.Render(input, ReportOutputFormat.Html);
        var markdown = renderer.Render(input, ReportOutputFormat.Markdown);
        var workbook = Workbook.Read(renderer.RenderFile(input, ReportOutputFormat.Xlsx));

        Assert.Contains("<h2>附件4　与上年度数据比较</h2>", html, StringComparison.Ordinal);
        Assert.Contains("data-rule=\"X-YEAR-CARRY\" data-unit=\"330305001\"", html, StringComparison.Ordinal);
        Assert.Contains("## 附件4　与上年度数据比较", markdown, StringComparison.Ordinal);
        Assert.Contains("同比变化", workbook.Names);
        Assert.NotNull(workbook["同比变化"].Find("增减幅度"));
        Assert.Contains(workbook["同比变化"].Cells.Values, c => c.Text.Contains("X-YEAR-CARRY", StringComparison.Ordinal));

        var word = WordReport.Read(renderer.RenderFile(input, ReportOutputFormat.Docx));
        Assert.Contains("附件4　与上年度数据比较", word.Paragraphs);
        Assert.Contains(word.Paragraphs, p => p.Contains("X-YEAR-CARRY", StringComparison.Ordinal));

        var without = input with { PreviousYear = null };
        Assert.DoesNotContain("附件4", renderer.Render(without, ReportOutputFormat.Html), StringComparison.Ordinal);
        Assert.DoesNotContain("附件4", renderer.Render(without, ReportOutputFormat.Markdown), StringComparison.Ordinal);
        Assert.DoesNotContain("同比变化", Workbook.Read(renderer.RenderFile(without, ReportOutputFormat.Xlsx)).Names);
        Assert.DoesNotContain("附件4　与上年度数据比较", WordReport.Read(renderer.RenderFile(without, ReportOutputFormat.Docx)).Paragraphs);
    }
}

using Aggregator.Reporting.Tests.Support;

namespace Aggregator.Reporting.Tests;

/// <summary>The 2021 format and the old statistics table render with their own printed labels.</summary>
public sealed class OtherFormatReportTests
{
    private static readonly ReportRenderer Renderer = ReportRenderer.CreateDefault();

    [Fact]
    public void Fmt_2021_prints_its_own_table_two_blocks_and_the_split_other_handling_rows()
    {
        var forms = DomainForms.Load();
        var input = ReportInputs.District("fmt_2021", 2022, 5);
        var html = HtmlReport.Parse(Renderer.Render(input, ReportOutputFormat.Html));

        foreach (var tableId in forms.TableIds("fmt_2021"))
        {
            var definition = forms.Table("fmt_2021", tableId);
            var tableText = html.ById($"table-{tableId}").Value;
            foreach (var label in DomainForms.Rows(definition).Select(r => r.Label).Concat(DomainForms.Columns(definition).Select(c => c.Label)))
            {
                Assert.Contains(label, tableText, StringComparison.Ordinal);
            }
        }

        Assert.Equal("行政规范性文件", html.Table("table-s2_1").Body[1][0].Text);
        Assert.Equal(SumOf(input, "s2_1.normative_doc.issued"), html.Table("table-s2_1").Cell("行政规范性文件", "本年制发件数"));
        Assert.Equal(SumOf(input, "s3.r3_6_1.total"), html.Table("table-s3").Cell("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "总计"));
        Assert.DoesNotContain("第二十条第（九）项", html.BodyText, StringComparison.Ordinal);
        Assert.DoesNotContain("本年新制作数量", html.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public void Fmt_2021_prints_the_fee_amount_without_repeating_the_unit_its_header_prints()
    {
        var input = ReportInputs.District("fmt_2021", 2022, 5);
        var html = HtmlReport.Parse(Renderer.Render(input, ReportOutputFormat.Html));
        var units = input.IncludedUnits.Sum(u => u.Values["s2_8.admin_fee.amount"] ?? 0);
        Assert.Equal(units.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture), html.Table("table-s2_8").Cell("行政事业性收费", "本年收费金额（单位：万元）"));
    }

    [Fact]
    public void Fmt_2021_markdown_table_three_has_the_three_other_handling_rows()
    {
        var input = ReportInputs.District("fmt_2021", 2022, 5);
        var markdown = Renderer.Render(input, ReportOutputFormat.Markdown);
        var table = MarkdownReport.Table(markdown, "## 三、收到和处理政府信息公开申请情况", "自然人");
        Assert.Contains(table.Rows, r => r[0] == "（六）其他处理" && r.Skip(1).All(string.IsNullOrEmpty));
        Assert.Equal(SumOf(input, "s3.r3_6_3.commercial"), table.Cell("3.其他", "法人或其他组织 商业企业"));
        Assert.Equal(SumOf(input, "s3.r3_7_total.total"), table.Cell("（七）总计", "总计"));
    }

    [Fact]
    public void Stat_pre2019_prints_the_statistics_table_with_units_and_headings_without_numbers()
    {
        var forms = DomainForms.Load();
        var definition = forms.Table("stat_pre2019", "stat");
        var input = ReportInputs.District("stat_pre2019", 2018, 5);
        var html = HtmlReport.Parse(Renderer.Render(input, ReportOutputFormat.Html));
        var table = html.ById("table-stat");
        var header = table.Element("thead")!.Descendants("th").Select(th => th.Value).ToList();
        Assert.Equal(["统计指标", "单位", "统计数"], header);

        var rows = table.Element("tbody")!.Elements("tr").Select(tr => tr.Elements().Select(e => e.Value).ToList()).ToList();
        var printed = DomainForms.Rows(definition);
        Assert.Equal(printed.Select(r => r.Label), rows.Select(r => r[0]));
        foreach (var (row, cells) in printed.Zip(rows))
        {
            if (!row.HasCells)
            {
                Assert.Equal("——", cells[1]);
                Assert.Equal(string.Empty, cells[2]);
            }
        }

        Assert.Equal(["（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）", "条", SumOf(input, "stat.s1_1.value")], rows.Single(r => r[0].StartsWith("（一）主动公开政府信息数", StringComparison.Ordinal)));
        Assert.Equal("万元", rows.Single(r => r[0].StartsWith("（四）政府信息公开专项经费", StringComparison.Ordinal))[1]);
        Assert.Equal(SumOf(input, "stat.s7_4.value"), rows.Single(r => r[0].StartsWith("（四）政府信息公开专项经费", StringComparison.Ordinal))[2]);
    }

    [Fact]
    public void Stat_pre2019_frames_the_table_with_the_narrative_sections_of_its_time()
    {
        var input = ReportInputs.District("stat_pre2019", 2018, 5);
        var html = HtmlReport.Parse(Renderer.Render(input, ReportOutputFormat.Html));
        var headings = html.Document.Descendants("h2").Select(h => h.Value).ToList();
        Assert.Equal(
            ["一、概况", "二、主动公开政府信息情况", "三、依申请公开政府信息情况", "四、因政府信息公开申请行政复议和提起行政诉讼的情况", "五、存在的主要问题及改进措施", "六、其他需要报告的事项", "附表　政府信息公开情况统计表"],
            headings.Take(7));
        Assert.Contains($"共收到政府信息公开申请{SumOf(input, "stat.s3_1.value")}件", html.ById("section-applications").Value, StringComparison.Ordinal);
        Assert.Contains("占申请答复数的75.0%", html.ById("section-overview").Value, StringComparison.Ordinal);
        Assert.Equal("温州市洞头区2018年度政府信息公开工作年度报告", html.Document.Descendants("h1").Single().Value);
    }

    [Fact]
    public void Stat_pre2019_markdown_prints_the_statistics_table()
    {
        var input = ReportInputs.District("stat_pre2019", 2018, 5);
        var markdown = Renderer.Render(input, ReportOutputFormat.Markdown);
        var table = MarkdownReport.Table(markdown, "## 附表", "统计指标");
        Assert.Equal(["统计指标", "单位", "统计数"], table.Header);
        Assert.Equal(["一、主动公开情况", "——", ""], table.Rows[0]);
        Assert.Equal(SumOf(input, "stat.s1_1.value"), table.Cell("（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）", "统计数"));
    }

    [Fact]
    public void Lists_an_html_and_a_markdown_template_for_each_national_format()
    {
        var supported = Renderer.SupportedReports.Select(s => (s.FormatId, s.Output)).ToHashSet();
        foreach (var format in new[] { "stat_pre2019", "fmt_2019", "fmt_2021" })
        {
            Assert.Contains((format, ReportOutputFormat.Html), supported);
            Assert.Contains((format, ReportOutputFormat.Markdown), supported);
            Assert.True(Renderer.Supports(format, ReportOutputFormat.Html));
        }

        Assert.All(Renderer.SupportedReports, s => Assert.False(s.IsOverride));
        Assert.False(Renderer.Supports("fmt_2099", ReportOutputFormat.Html));
    }

    [Fact]
    public void Refuses_an_input_whose_format_does_not_cover_its_year_or_that_names_an_unknown_cell()
    {
        var input = ReportInputs.District("fmt_2019", 2019, 2);
        Assert.Throws<ArgumentException>(() => Renderer.Render(input with { Year = 2022 }, ReportOutputFormat.Html));
        Assert.Throws<ArgumentException>(() => Renderer.Render(input with { FormatId = "fmt_2099" }, ReportOutputFormat.Html));
        var unknown = new Dictionary<string, decimal?>(input.Values) { ["s3.r9.total"] = 1 };
        var error = Assert.Throws<ArgumentException>(() => Renderer.Render(input with { Values = unknown }, ReportOutputFormat.Html));
        Assert.Contains("s3.r9.total", error.Message, StringComparison.Ordinal);
    }

    // What the consolidated cell must show: the included units' own values added up here, not by the code under test.
    private static string SumOf(ReportInput input, string cellId) =>
        input.IncludedUnits.Sum(u => u.Values.GetValueOrDefault(cellId) ?? 0).ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);
}

namespace Aggregator.Reporting.Tests;

/// <summary>The office's text read from Markdown, and printed beside the computed sentences.</summary>
public sealed class ReportTextTests
{
    private const string Text = """
        编制单位：温州市洞头区人民政府办公室
        发布日期：2020-01-20
        联系方式：0577-63480000

        # 一、总体情况
        开头第一段，
        续写在下一行。

        开头第二段。
        ## （一）主动公开
        主动公开的情况。
        ## 依申请公开情况
        依申请公开的情况。
        # 五、存在的主要问题及改进情况
        问题。
        # 其他需要报告的事项
        无。
        """;

    [Fact]
    public void Reads_every_part_under_its_heading_joining_lines_into_paragraphs()
    {
        var text = ReportTextMarkdown.Parse(Text, "office.md");
        Assert.Equal("温州市洞头区人民政府办公室", text.CompiledBy);
        Assert.Equal(new DateOnly(2020, 1, 20), text.PublishedOn);
        Assert.Equal("0577-63480000", text.Contact);
        Assert.Null(text.Address);
        Assert.Equal("开头第一段，续写在下一行。\n开头第二段。", text.Overview);
        Assert.Equal("主动公开的情况。", text.Proactive);
        Assert.Equal("依申请公开的情况。", text.Applications);
        Assert.Null(text.Management);
        Assert.Equal("问题。", text.Problems);
        Assert.Equal("无。", text.Other);
    }

    [Theory]
    [InlineData("# 七、附则\n文字", 1, "未知的标题“# 七、附则”")]
    [InlineData("# 一、总体情况\n## 财政预决算\n", 2, "未知的标题“## 财政预决算”")]
    [InlineData("# 五、存在的主要问题及改进情况\n## 主动公开\n", 2, "只能写在“# 一、总体情况”之下")]
    [InlineData("编制单位：某区政府办公室\n发布日期：明年春天\n", 2, "发布日期“明年春天”无法识别")]
    [InlineData("负责人：张三\n", 1, "未知的项目“负责人”")]
    [InlineData("这是正文\n# 一、总体情况\n", 1, "第一个标题之前只能写“键：值”行")]
    [InlineData("# 五、存在的主要问题及改进情况\n甲\n# 五、存在的主要问题及改进情况\n乙\n", 3, "重复出现（第 1 行已有）")]
    [InlineData("# 一、总体情况\n### 小标题\n", 2, "不支持的标题“### 小标题”")]
    [InlineData("# 二、总体情况\n", 1, "未知的标题“# 二、总体情况”")]
    public void Refuses_an_unknown_heading_or_line_naming_the_file_and_line(string markdown, int line, string message)
    {
        var error = Assert.Throws<ReportTextException>(() => ReportTextMarkdown.Parse(markdown, "office.md"));
        Assert.Equal(line, error.Line);
        Assert.StartsWith($"office.md 第 {line} 行：", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_computed_sentences_stay_before_the_office_text_and_the_signature_takes_its_name_and_date()
    {
        var input = Support.ReportInputs.District("fmt_2019", 2019, 3) with { GeneratedAt = new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.FromHours(8)) };
        var withText = input.WithText(ReportTextMarkdown.Parse(Text, "office.md"));
        var renderer = ReportRenderer.CreateDefault();
        var html = Support.HtmlReport.Parse(renderer.Render(withText, ReportOutputFormat.Html));
        var overview = html.Paragraphs("section-overview").Select(p => p.Value).ToList();
        var computed = Model.ReportModelBuilder.Default.Build(input).Overview.Paragraphs;
        Assert.Equal(computed, overview.Take(computed.Count));
        Assert.Equal(["开头第一段，续写在下一行。", "开头第二段。", "主动公开的情况。", "依申请公开的情况。"], overview.Skip(computed.Count));
        Assert.Equal("温州市洞头区人民政府办公室2020年1月20日", html.ById("section-other").Parent!.Elements().Single(e => (string?)e.Attribute("class") == "signature").Value);
        var opening = html.Document.Descendants("p").First(p => (string?)p.Attribute("class") == "opening").Value;
        Assert.Contains("由温州市洞头区人民政府办公室综合", opening, StringComparison.Ordinal);

        // Without a text the report keeps its placeholders and is signed on the day it was generated.
        var plain = Support.HtmlReport.Parse(renderer.Render(input, ReportOutputFormat.Html));
        Assert.Contains("（本部分内容由区政府办公室补充。）", plain.Paragraphs("section-problems").Single().Value, StringComparison.Ordinal);
        Assert.Equal("区政府办公室2026年12月2日", plain.ById("section-other").Parent!.Elements().Single(e => (string?)e.Attribute("class") == "signature").Value);
    }

    [Fact]
    public void A_part_over_its_length_or_a_line_break_in_the_office_name_is_named()
    {
        var text = new ReportText { CompiledBy = "办公室\n第二行", Problems = new string('字', ReportText.MaxPartLength + 1) };
        Assert.Equal(["compiled_by", "problems"], text.Check().Select(p => p.Key));
    }
}

using Aggregator.Core.Rules;
using Aggregator.Reporting.Tests.Support;

namespace Aggregator.Reporting.Tests;

/// <summary>Text supplied by units and the district office can never become markup in a rendered report.</summary>
public sealed class EscapingTests
{
    private const string Script = "<script>alert(1)</script>";
    private const string Message = "总计 & 明细 <不一致> \"引号\" '单引号'";

    private static ReportInput Hostile()
    {
        var input = ReportInputs.District("fmt_2019", 2019, 2);
        var first = input.IncludedUnits[0];
        return input with
        {
            Edition = ReportEdition.Internal,
            UnitName = "洞头区" + Script,
            CompiledBy = "区政府办公室" + Script,
            IncludedUnits = [first with { Name = Script, Code = "<b>001</b>" }, .. input.IncludedUnits.Skip(1)],
            MissingUnits = [new MissingUnit("<i>m</i>", Script)],
            RejectedUnits = [new RejectedUnit("r&1", Script, 1, [new ReportViolation("S3-BALANCE", Severity.Error, Message)])],
            RollupViolations = [new ReportViolation("S4-REVIEW-TOTAL", Severity.Warning, Message)],
            Narratives = new ReportNarratives("<img src=x onerror=alert(1)>", Script, "a | b & <c>"),
        };
    }

    [Fact]
    public void Html_escapes_unit_names_codes_messages_and_narratives()
    {
        var html = ReportRenderer.CreateDefault().Render(Hostile(), ReportOutputFormat.Html);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>001", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<i>m", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("总计 &amp; 明细 &lt;不一致&gt; &quot;引号&quot; &#39;单引号&#39;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_with_hostile_text_is_still_well_formed_and_reads_back_as_the_original_text()
    {
        var input = Hostile();
        var report = HtmlReport.Parse(ReportRenderer.CreateDefault().Render(input, ReportOutputFormat.Html));

        Assert.Equal($"{input.UnitName}2019年度政府信息公开工作年度报告", report.Document.Descendants("h1").Single().Value);
        Assert.Equal(Script, report.Table("completeness-missing").Body[0][2].Text);
        Assert.Equal("<i>m</i>", report.Table("completeness-missing").Body[0][1].Text);
        Assert.Contains(Message, report.Table("completeness-rejected").Body[0][5].Text, StringComparison.Ordinal);
        Assert.Equal(Message, report.Table("validation-violations").Body[0][3].Text);
        Assert.Equal("<img src=x onerror=alert(1)>", report.Paragraphs("section-overview").Last().Value);
        Assert.Empty(report.Document.Descendants("script"));
        Assert.Empty(report.Document.Descendants("img"));
    }

    [Fact]
    public void Markdown_escapes_markup_and_keeps_tables_intact()
    {
        var markdown = ReportRenderer.CreateDefault().Render(Hostile(), ReportOutputFormat.Markdown);

        Assert.DoesNotContain(Script, markdown, StringComparison.Ordinal);
        Assert.Contains(@"\<script\>alert(1)\</script\>", markdown, StringComparison.Ordinal);
        Assert.Contains(@"a \| b \& \<c\>", markdown, StringComparison.Ordinal);
        var missing = MarkdownReport.Table(markdown, "### 二、未报送单位", "处理方式");
        Assert.Equal(missing.Header.Count, Assert.Single(missing.Rows).Count);
    }
}

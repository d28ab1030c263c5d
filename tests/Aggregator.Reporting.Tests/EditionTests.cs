using System.Globalization;
using Aggregator.Reporting.Office;
using Aggregator.Reporting.Tests.Support;

namespace Aggregator.Reporting.Tests;

/// <summary>The public edition is what gets published; the internal edition carries every annex.</summary>
public sealed class EditionTests
{
    private static readonly ReportRenderer Renderer = ReportRenderer.CreateDefault();

    public static TheoryData<string, int> Formats() => new() { { "stat_pre2019", 2018 }, { "fmt_2019", 2019 }, { "fmt_2021", 2021 } };

    private static IEnumerable<(string Output, string Text)> Outputs(ReportInput input) =>
    [
        ("html", Renderer.Render(input, ReportOutputFormat.Html)),
        ("md", Renderer.Render(input, ReportOutputFormat.Markdown)),
        ("docx", GoldenFiles.DocxText(Renderer.RenderFile(input, ReportOutputFormat.Docx))),
        ("xlsx", GoldenFiles.XlsxText(Renderer.RenderFile(input, ReportOutputFormat.Xlsx))),
    ];

    private static ReportInput WithRollupWarning(ReportInput input) =>
        input with { RollupViolations = [new ReportViolation("S3-TOTAL-BLANK", Core.Rules.Severity.Warning, "汇总表（七）总计为空，但其各项不为0")] };

    [Theory]
    [MemberData(nameof(Formats))]
    public void The_public_edition_holds_no_validation_message_no_unit_name_and_no_annex(string formatId, int year)
    {
        var input = WithRollupWarning(GoldenReportTests.Input(formatId, year, ReportEdition.Public));
        var secrets = input.RejectedUnits.SelectMany(u => u.Violations).Concat(input.RollupViolations).SelectMany(v => new[] { v.RuleId, v.Message })
            .Concat(input.RejectedUnits.Select(u => u.Name))
            .Concat(input.MissingUnits.Select(u => u.Name))
            .Concat(input.IncludedUnits.Select(u => u.Name))
            .Append("附件")
            .ToList();
        foreach (var (output, text) in Outputs(input))
        {
            foreach (var secret in secrets)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"The public {output} of {formatId} contains “{secret}”.");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void The_internal_edition_names_the_rejected_units_with_their_messages_and_the_times_against_the_due_date(string formatId, int year)
    {
        var input = WithRollupWarning(GoldenReportTests.Input(formatId, year, ReportEdition.Internal));
        var rejected = Assert.Single(input.RejectedUnits);
        foreach (var (output, text) in Outputs(input))
        {
            Assert.Contains(rejected.Name, text, StringComparison.Ordinal);
            Assert.All(rejected.Violations, v => Assert.Contains(v.Message, text, StringComparison.Ordinal));
            Assert.Contains("汇总表（七）总计为空，但其各项不为0", text, StringComparison.Ordinal);
            Assert.Contains($"{year + 1}-01-15 10:00", text, StringComparison.Ordinal);
            Assert.Contains("按时", text, StringComparison.Ordinal);
        }

        // The fifth unit and the rejected one were received on 4 February, four days after the due date of 31 January.
        var html = HtmlReport.Parse(Renderer.Render(input, ReportOutputFormat.Html));
        var included = html.Table("completeness-included").Body;
        Assert.Equal(["按时", "按时", "按时", "按时", "逾期4天"], included.Select(r => r[5].Text));
        Assert.Contains("报送截止日期为" + (year + 1) + "年1月31日，逾期报送2个。", html.ById("annex-completeness").Value, StringComparison.Ordinal);
    }

    [Fact]
    public void The_public_edition_is_the_default()
    {
        var input = ReportInputs.District("fmt_2019", 2019, 3, missing: 1, rejected: 1) with { Edition = default };
        Assert.Equal(ReportEdition.Public, new ReportInput { FormatId = "fmt_2019", Year = 2019, UnitName = "区", GeneratedAt = ReportInputs.GeneratedAt, Values = new Dictionary<string, decimal?>() }.Edition);
        var html = Renderer.Render(input, ReportOutputFormat.Html);
        Assert.DoesNotContain("annex-completeness", html, StringComparison.Ordinal);
        Assert.Contains("本报告应汇总单位5个，实际汇总3个，未报送1个，报表未通过校验、未计入汇总1个。", html, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Word_and_Excel_hold_the_office_text_and_the_summed_figures(string formatId, int year)
    {
        var input = GoldenReportTests.Input(formatId, year, ReportEdition.Public);
        var word = WordReport.Read(Renderer.RenderFile(input, ReportOutputFormat.Docx)).Paragraphs;
        foreach (var paragraph in new[]
                 {
                     "2019年，洞头区深入贯彻新修订的《中华人民共和国政府信息公开条例》，以公开为常态、不公开为例外，政务公开工作稳步推进。",
                     "依申请公开办理流程进一步规范，全年申请均在法定期限内答复。",
                     "下一步，将加强日常督查，定期通报，丰富图解、视频等解读形式。",
                     "联系电话：0577-63480000（区政务公开办）",
                     "地址：温州市洞头区北岙街道人民路1号",
                 })
        {
            Assert.Contains(paragraph, word);
        }

        Assert.Equal(["温州市洞头区人民政府办公室", "2020年1月20日"], word.SkipWhile(p => p != "地址：温州市洞头区北岙街道人民路1号").Skip(1).Take(2));
        Assert.Contains("（五）监督保障", word);
        Assert.DoesNotContain(word, p => p.Contains("本部分内容由", StringComparison.Ordinal));

        var workbook = Workbook.Read(Renderer.RenderFile(input, ReportOutputFormat.Xlsx));
        var text = workbook[XlsxReportWriter.TextSheet];
        Assert.Contains(text.Cells.Values, c => c.Text == "将政务公开纳入年度综合考核，开展政务公开业务培训2期。");
        Assert.Contains(text.Cells.Values, c => c.Text == "2020年1月20日");

        // Every figure of the national tables equals the summed value of its cell.
        var model = Model.ReportModelBuilder.Default.Build(input);
        var checkedCells = 0;
        foreach (var table in model.TableList)
        {
            var sheet = workbook[XlsxReportWriter.SheetName(table)];
            var numbers = sheet.Numbers.Select(n => decimal.Parse(n.Cell.Text, CultureInfo.InvariantCulture)).ToList();
            var expected = table.Rows.SelectMany(r => r.Cells).Select(c => input.Values.GetValueOrDefault(c.Id) ?? 0m).ToList();
            Assert.Equal(expected.Order(), numbers.Order());
            checkedCells += expected.Count;
        }

        Assert.True(checkedCells > 20, $"only {checkedCells} cells compared");
    }
}

using System.Globalization;
using Aggregator.Reporting.Tests.Support;

namespace Aggregator.Reporting.Tests;

/// <summary>
/// The consolidated report of a district whose sums are seed 002's figures (洞头区 2019), compared with the printed
/// form (tests/TestData/domain/forms.json) and the seed's own numbers — never with strings copied from the templates.
/// </summary>
public sealed class ConsolidatedFmt2019ReportTests
{
    private const string Format = "fmt_2019";

    private static readonly Lazy<(ReportInput Input, string Html, string Markdown)> Rendered = new(() =>
    {
        var input = ReportInputs.Seed002District();
        var renderer = ReportRenderer.CreateDefault();
        return (input, renderer.Render(input, ReportOutputFormat.Html), renderer.Render(input, ReportOutputFormat.Markdown));
    });

    private static HtmlReport Html => HtmlReport.Parse(Rendered.Value.Html);

    private static string Markdown => Rendered.Value.Markdown;

    private static SeedValues Seed => SeedValues.Load("transcribed/seed_002.json");

    [Fact]
    public void Titles_the_report_with_the_unit_and_year_and_opens_with_the_standard_paragraph()
    {
        var html = Html;
        Assert.Equal("温州市洞头区2019年度政府信息公开工作年度报告", html.Document.Descendants("h1").Single().Value);
        var opening = html.Document.Descendants("p").First(p => (string?)p.Attribute("class") == "opening").Value;
        Assert.StartsWith("本年度报告根据《中华人民共和国政府信息公开条例》", opening, StringComparison.Ordinal);
        Assert.Contains("由区政府办公室综合全区各部门单位和街道（乡镇）的政府信息公开年度报告编制而成", opening, StringComparison.Ordinal);
        Assert.Contains("统计期限从2019年1月1日至12月31日止", opening, StringComparison.Ordinal);
        Assert.StartsWith("# 温州市洞头区2019年度政府信息公开工作年度报告\n", Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Prints_the_six_sections_in_the_national_order()
    {
        var headings = Html.Document.Descendants("section")
            .Where(s => ((string?)s.Attribute("class")) == "section")
            .Select(s => s.Element("h2")!.Value)
            .ToList();
        Assert.Equal(
            ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"],
            headings);
    }

    [Fact]
    public void Table_two_prints_each_article_block_with_its_printed_labels_and_the_summed_values()
    {
        var forms = DomainForms.Load();
        var html = Html;
        var seed = Seed;
        foreach (var tableId in forms.TableIds(Format).Where(t => t.StartsWith("s2_", StringComparison.Ordinal)))
        {
            var definition = forms.Table(Format, tableId);
            var grid = html.Table($"table-{tableId}");
            Assert.Equal(DomainForms.BlockTitle(definition), grid.Header[0][0].Text);
            foreach (var row in DomainForms.Rows(definition))
            {
                foreach (var column in DomainForms.Columns(definition))
                {
                    var cellId = $"{tableId}.{row.Id}.{column.Id}";
                    var expected = seed.Raw(cellId) is { } raw && raw.EndsWith("万元", StringComparison.Ordinal)
                        ? raw
                        : column.Id == "change" && seed[cellId] > 0 ? "+" + seed.CountText(cellId) : seed.CountText(cellId);
                    Assert.Equal(expected, grid.Cell(row.Label, column.Label));
                }
            }
        }
    }

    [Fact]
    public void Prints_the_procurement_amount_in_wan_yuan_and_the_signed_yearly_change()
    {
        var html = Html;
        Assert.Equal("244.19万元", html.Table("table-s2_9").Cell("政府集中采购", "采购总金额"));
        Assert.Equal("+441", html.Table("table-s2_5").Cell("行政许可", "本年增/减"));
        Assert.Equal("0", html.Table("table-s2_6").Cell("行政强制", "本年增/减"));
    }

    [Fact]
    public void Table_three_has_the_applicant_header_and_every_printed_row_with_the_summed_counts()
    {
        var forms = DomainForms.Load();
        var definition = forms.Table(Format, "s3");
        var grid = Html.Table("table-s3");
        var seed = Seed;

        Assert.Equal("申请人情况", grid.Header[0][3].Text);
        Assert.All(grid.Header[0].Skip(3), e => Assert.Equal("申请人情况", e.Text));
        Assert.Equal(["自然人", "法人或其他组织", "法人或其他组织", "法人或其他组织", "法人或其他组织", "法人或其他组织", "总计"], grid.Header[1].Skip(3).Select(e => e.Text));
        Assert.Equal(["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"], grid.Header[2].Skip(3).Select(e => e.Text));

        var bodyText = string.Join("\n", grid.Body.Select(r => string.Join("|", r.Select(e => e.Text))));
        foreach (var row in DomainForms.Rows(definition))
        {
            Assert.Contains(row.Label, bodyText, StringComparison.Ordinal);
            if (!row.HasCells)
            {
                continue;
            }

            foreach (var column in DomainForms.Columns(definition).Where(c => c.HasCells))
            {
                Assert.Equal(seed.CountText($"s3.{row.Id}.{column.Id}"), grid.Cell(row.Label, column.Label));
            }
        }

        Assert.Equal("17", grid.Cell("（七）总计", "总计"));
        Assert.Equal("16", grid.Cell("一、本年新收政府信息公开申请数量", "自然人"));
        Assert.Equal("4", grid.Cell("8.属于行政查询事项", "总计"));
    }

    [Fact]
    public void Table_three_prints_the_official_consistency_note_in_its_top_left_cell()
    {
        var note = DomainForms.PrintedNote(DomainForms.Load().Table(Format, "s3"));
        Assert.Equal("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", note);
        var grid = Html.Table("table-s3");
        for (var row = 0; row < 3; row++)
        {
            for (var column = 0; column < 3; column++)
            {
                Assert.Equal(note, grid.Header[row][column].Text);
            }
        }
    }

    [Fact]
    public void Table_four_prints_review_and_both_kinds_of_litigation_side_by_side_in_one_row()
    {
        var grid = Html.Table("table-s4");
        var seed = Seed;
        Assert.Single(grid.Body);
        Assert.Equal(15, grid.Body[0].Count);
        var results = new[] { ("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"), ("total", "总计") };
        foreach (var (id, label) in results)
        {
            Assert.Equal(seed.CountText($"s4.review.{id}"), grid.Body[0][grid.Column("行政复议", label)].Text);
            Assert.Equal(seed.CountText($"s4.lit_direct.{id}"), grid.Body[0][grid.Column("行政诉讼", "未经复议直接起诉", label)].Text);
            Assert.Equal(seed.CountText($"s4.lit_after_review.{id}"), grid.Body[0][grid.Column("行政诉讼", "复议后起诉", label)].Text);
        }

        Assert.Equal("2", grid.Body[0][grid.Column("复议后起诉", "总计")].Text);
        Assert.Equal("6", grid.Body[0][grid.Column("未经复议直接起诉", "总计")].Text);
    }

    [Fact]
    public void States_the_share_of_granted_and_partly_granted_applications_recomputed_from_the_sums()
    {
        var seed = Seed;
        var granted = seed["s3.r3_1_granted.total"] + seed["s3.r3_2_partial.total"];
        var total = seed["s3.r3_7_total.total"];
        var share = Math.Round(granted * 100 / total, 1).ToString("0.0", CultureInfo.InvariantCulture) + "%";
        Assert.Equal("58.8%", share);

        var figures = string.Join("\n", Html.Paragraphs("section-overview").Select(p => p.Value));
        Assert.Contains($"予以公开及部分公开合计{granted}件，占{share}", figures, StringComparison.Ordinal);
        Assert.Contains($"共新收政府信息公开申请{seed["s3.r1_new.total"]}件，上年结转{seed["s3.r2_carried_in.total"]}件", figures, StringComparison.Ordinal);
        Assert.Contains($"本年度办理结果总计{total}件", figures, StringComparison.Ordinal);

        var refused = Enumerable.Range(1, 8).Sum(i => seed[$"s3.r3_3_{i}.total"]);
        var refusedShare = Math.Round(refused * 100 / total, 1).ToString("0.0", CultureInfo.InvariantCulture) + "%";
        Assert.Contains($"不予公开{refused}件，占{refusedShare}", figures, StringComparison.Ordinal);
        Assert.Contains(share, Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void States_the_review_and_litigation_totals()
    {
        var seed = Seed;
        var litigation = seed["s4.lit_direct.total"] + seed["s4.lit_after_review.total"];
        var figures = string.Join("\n", Html.Paragraphs("section-overview").Select(p => p.Value));
        Assert.Contains($"被申请行政复议{seed["s4.review.total"]}件", figures, StringComparison.Ordinal);
        Assert.Contains($"被提起行政诉讼{litigation}件（未经复议直接起诉{seed["s4.lit_direct.total"]}件、复议后起诉{seed["s4.lit_after_review.total"]}件）", figures, StringComparison.Ordinal);
    }

    [Fact]
    public void States_how_many_units_were_expected_summed_missing_and_rejected()
    {
        var input = Rendered.Value.Input;
        var figures = Html.Paragraphs("section-overview").First().Value;
        var expected = input.IncludedUnits.Count + input.MissingUnits.Count + input.RejectedUnits.Count;
        Assert.Equal($"本报告应汇总单位{expected}个，实际汇总{input.IncludedUnits.Count}个，未报送{input.MissingUnits.Count}个，报表未通过校验、未计入汇总{input.RejectedUnits.Count}个（名单见附件2）。", figures);
    }

    [Fact]
    public void Lists_the_included_units_with_the_version_summed_the_missing_units_and_the_rejected_units_with_their_rules()
    {
        var input = Rendered.Value.Input;
        var html = Html;
        var included = html.Table("completeness-included");
        Assert.Equal(input.IncludedUnits.Select(u => (u.Code, u.Name, u.Version.ToString(CultureInfo.InvariantCulture))), included.Body.Select(r => (r[1].Text, r[2].Text, r[3].Text)));

        var missing = html.Table("completeness-missing");
        Assert.Equal(input.MissingUnits.Select(u => (u.Code, u.Name)), missing.Body.Select(r => (r[1].Text, r[2].Text)));

        var rejected = html.Table("completeness-rejected");
        var unit = Assert.Single(input.RejectedUnits);
        var row = Assert.Single(rejected.Body);
        Assert.Equal((unit.Code, unit.Name), (row[1].Text, row[2].Text));
        foreach (var violation in unit.Violations)
        {
            Assert.Contains(violation.RuleId, row[5].Text, StringComparison.Ordinal);
            Assert.Contains(violation.Message, row[5].Text, StringComparison.Ordinal);
        }

        Assert.Contains("【错误】", row[5].Text, StringComparison.Ordinal);
        Assert.Contains("【警告】", row[5].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Explains_every_summed_cell_by_the_units_that_make_it_up()
    {
        var input = Rendered.Value.Input;
        var sources = Html.Table("breakdown-sources");
        var nonZero = input.Values.Where(v => v.Value is { } x && x != 0).Select(v => v.Key).ToHashSet();
        var listed = HtmlReport.Parse(Rendered.Value.Html).ById("breakdown-sources").Descendants("tr")
            .Select(tr => (string?)tr.Attribute("data-cell")).OfType<string>().ToHashSet();
        Assert.Equal(nonZero, listed);

        var procurement = sources.Body.Single(r => r[1].Text.Contains("采购总金额", StringComparison.Ordinal));
        Assert.Equal("244.19万元", procurement[2].Text);
        var parts = procurement[4].Text.Split('；').Select(p => decimal.Parse(p.Split(' ')[1].Replace("万元", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture));
        Assert.Equal(244.19m, parts.Sum());
    }

    [Fact]
    public void The_per_unit_table_adds_up_to_the_consolidated_figures()
    {
        var units = Html.Table("breakdown-units");
        var unitRows = units.Body.Take(units.Body.Count - 1).ToList();
        var totalRow = units.Body[^1];
        var firstKeyColumn = 4;
        for (var column = firstKeyColumn; column < totalRow.Count; column++)
        {
            var sum = unitRows.Sum(r => decimal.Parse(r[column].Text, CultureInfo.InvariantCulture));
            Assert.Equal(totalRow[column].Text, sum.ToString(CultureInfo.InvariantCulture));
        }

        Assert.Equal(Seed.CountText("s3.r3_7_total.total"), totalRow[units.Column("办理结果总计")].Text);
    }

    [Fact]
    public void Reports_that_the_consolidated_table_passes_its_own_validation()
    {
        var annex = Html.ById("annex-validation");
        Assert.Contains("未发现问题", annex.Value, StringComparison.Ordinal);
        Assert.Empty(Rendered.Value.Input.RollupViolations);
    }

    [Fact]
    public void Markdown_table_three_holds_the_same_counts_cell_by_cell()
    {
        var forms = DomainForms.Load();
        var definition = forms.Table(Format, "s3");
        var note = DomainForms.PrintedNote(definition)!;
        var table = MarkdownReport.Table(Markdown, "## 三、收到和处理政府信息公开申请情况", note);
        var seed = Seed;
        var columns = DomainForms.Columns(definition).Where(c => c.HasCells).ToList();
        Assert.Equal(columns.Count + 1, table.Header.Count);
        foreach (var row in DomainForms.Rows(definition))
        {
            if (!row.HasCells)
            {
                Assert.Contains(table.Rows, r => r[0] == row.Label && r.Skip(1).All(string.IsNullOrEmpty));
                continue;
            }

            foreach (var column in columns)
            {
                var header = table.Header.Single(h => h == column.Label || h.EndsWith(" " + column.Label, StringComparison.Ordinal));
                Assert.Equal(seed.CountText($"s3.{row.Id}.{column.Id}"), table.Cell(row.Label, header));
            }
        }

        Assert.Equal("17", table.Cell("（七）总计", "总计"));
    }

    [Fact]
    public void Markdown_table_four_holds_review_and_both_kinds_of_litigation()
    {
        // The national layout: 行政复议 over five columns and 行政诉讼 over ten, split into 未经复议直接起诉 and 复议后起诉,
        // each written once above the columns it spans, then one row of figures.
        var markdown = Markdown;
        var start = markdown.IndexOf("## 四、政府信息公开行政复议、行政诉讼情况", StringComparison.Ordinal);
        var lines = markdown[start..].Split('\n').SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Trim('|').Split('|').Select(c => c.Trim()).ToList())
            .ToList();
        Assert.Equal(5, lines.Count);
        Assert.All(lines, l => Assert.Equal(15, l.Count));
        Assert.Equal(("**行政复议**", "**行政诉讼**"), (lines[0][0], lines[0][5]));
        Assert.Equal(("**未经复议直接起诉**", "**复议后起诉**"), (lines[2][5], lines[2][10]));
        Assert.Equal(["**结果维持**", "**结果纠正**", "**其他结果**", "**尚未审结**", "**总计**"], lines[2][..5]);
        Assert.Equal(["**结果维持**", "**结果纠正**", "**其他结果**", "**尚未审结**", "**总计**"], lines[3][10..]);
        var seed = Seed;
        Assert.Equal(seed.CountText("s4.review.total"), lines[4][4]);
        Assert.Equal(seed.CountText("s4.lit_direct.total"), lines[4][9]);
        Assert.Equal("2", lines[4][14]);
    }

    [Fact]
    public void Markdown_lists_missing_and_rejected_units()
    {
        var input = Rendered.Value.Input;
        var missing = MarkdownReport.Table(Markdown, "### 二、未报送单位", "处理方式");
        Assert.Equal(input.MissingUnits.Select(u => u.Name), missing.Rows.Select(r => r[2]));
        var rejected = MarkdownReport.Table(Markdown, "### 三、报表未通过校验的单位", "未通过的校验规则");
        Assert.Contains("S3-BALANCE", Assert.Single(rejected.Rows)[5], StringComparison.Ordinal);
    }

    [Fact]
    public void Prints_placeholders_for_narratives_the_office_has_not_written_and_the_texts_it_has()
    {
        var input = Rendered.Value.Input with
        {
            Narratives = new ReportNarratives("全区政务公开工作稳步推进。\n信息公开平台完成改版。", "1.部分单位更新不及时。", null),
        };
        var html = HtmlReport.Parse(ReportRenderer.CreateDefault().Render(input, ReportOutputFormat.Html));
        var overview = html.Paragraphs("section-overview").Select(p => p.Value).ToList();
        Assert.Equal(["全区政务公开工作稳步推进。", "信息公开平台完成改版。"], overview[^2..]);
        Assert.Equal(["1.部分单位更新不及时。"], html.Paragraphs("section-problems").Select(p => p.Value));
        Assert.Contains("补充", Assert.Single(html.Paragraphs("section-other")).Value, StringComparison.Ordinal);
    }
}

using Aggregator.Core.Text;
using Aggregator.Import.Tests.Support;

namespace Aggregator.Import.Tests;

public sealed class NarrativeCheckTests(ITestOutputHelper output)
{
    [Fact]
    public void Warns_that_seed_002_states_22_applications_where_its_table_shows_16()
    {
        var findings = Findings("seed_002");

        var finding = Assert.Single(findings, f => f.CellIds.Contains("s3.r1_new.total"));
        Assert.Equal((22m, 16m), (finding.Stated, finding.InTable));
        Assert.Contains("我区共收到依申请公开申请22件", finding.Message, StringComparison.Ordinal);
        Assert.Contains("16 件", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Warns_that_seed_002_states_no_review_or_lawsuit_where_its_table_shows_them()
    {
        var findings = Findings("seed_002");

        Assert.Contains(findings, f => f.CellIds.SequenceEqual(["s4.review.total"]) && (f.Stated, f.InTable) == (0m, 1m));
        Assert.Contains(findings, f => f.CellIds.Contains("s4.lit_after_review.total") && (f.Stated, f.InTable) == (0m, 8m));
    }

    [Fact]
    public void Warns_that_the_Shanghai_report_states_258_granted_where_its_table_sums_to_275()
    {
        var findings = Findings("shanghai_2019");

        var finding = Assert.Single(findings, f => f.Stated == 258m);
        Assert.Equal(275m, finding.InTable);
        Assert.Contains("予以公开及部分公开258件", finding.Quote, StringComparison.Ordinal);
        Assert.Contains("s3.r3_2_partial.natural_person", finding.CellIds);
    }

    [Fact]
    public void Accepts_the_Shanghai_figures_that_agree_with_its_table()
    {
        var findings = Findings("shanghai_2019");

        // 受理859件, 答复805件 and 不予公开35件 agree with 表三.
        Assert.DoesNotContain(findings, f => f.Stated is 859m or 805m or 35m);
    }

    [Theory]
    [InlineData("seed_004")]
    [InlineData("seed_000")]
    [InlineData("seed_001")]
    public void Finds_nothing_where_narrative_and_tables_agree(string name)
    {
        Assert.Empty(Findings(name));
    }

    private List<NarrativeFinding> Findings(string name)
    {
        var findings = Reports.Read(name).NarrativeFindings.ToList();
        foreach (var finding in findings)
        {
            output.WriteLine($"{name}: {finding.Message}");
        }

        return findings;
    }
}

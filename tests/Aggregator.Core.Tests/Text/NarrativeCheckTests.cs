using Aggregator.Core.Forms;
using Aggregator.Core.Rules;
using Aggregator.Core.Text;
using Aggregator.Core.Values;

namespace Aggregator.Core.Tests.Text;

public sealed class NarrativeCheckTests
{
    private static readonly NormalizedTable Table = TableNormalizer.Normalize(FormCatalog.Default.Get("fmt_2019"), new SubmissionDocument
    {
        FormatId = "fmt_2019",
        Year = 2019,
        UnitName = "测试局",
        Values = new Dictionary<string, SubmittedValue>(StringComparer.Ordinal) { ["s3.r1_new.total"] = SubmittedValue.FromNumber(16, "16") },
    }).Table;

    [Fact]
    public void A_figure_the_narrative_states_against_the_table_is_a_warning_in_the_reports_words_naming_the_cell()
    {
        var warning = Assert.Single(NarrativeCheck.Violations(Table, "一、总体情况\n2019年，我区共收到依申请公开申请22件，其中，区政府接收依申请公开6件。"));

        Assert.Equal((NarrativeCheck.RuleId, Severity.Warning, false), (warning.RuleId, warning.Severity, warning.Official));
        Assert.Equal("正文“2019年，我区共收到依申请公开申请22件，其中，区政府接收依申请公开6件”称收到申请 22 件，表三“一、本年新收政府信息公开申请数量”为 16 件，两者不一致", warning.Message);
        Assert.Equal([new ViolationCell("s3.r1_new.total", 16m, "16")], warning.Cells);
        Assert.Equal(("22", "16"), (warning.Binding["stated"], warning.Binding["in_table"]));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    [InlineData("2019年，我区共收到依申请公开申请16件。")]
    public void No_narrative_or_one_that_agrees_gives_nothing(string? narrative)
    {
        Assert.Empty(NarrativeCheck.Violations(Table, narrative));
    }
}

using Aggregator.Core.Forms;
using Aggregator.Core.Rules;
using Aggregator.Core.Values;

namespace Aggregator.Core.Tests.Values;

/// <summary>Every notation a unit writes in a cell, read through a submission of one cell.</summary>
public sealed class CellValueReadingTests
{
    private const string Count = "s3.r1_new.natural_person";                      // 件, unit not printed
    private const string Items = "s2_5.license.prev_year_items";                  // 项
    private const string Projects = "s2_9.central_procurement.projects";          // 个
    private const string Change = "s2_5.license.change";                          // signed
    private const string Amount = "s2_9.central_procurement.total_amount";        // 万元, unit not printed

    public static TheoryData<string, string, decimal> ReadableTexts => new()
    {
        { Count, "12", 12m },
        { Count, " 3", 3m },
        { Count, "0\u00a0", 0m },
        { Count, "\u3000\u300031", 31m },
        { Count, "1 2", 12m },
        { Count, "\t7\n", 7m },
        { Count, "１２", 12m },
        { Count, "1,234", 1234m },
        { Count, "1,234,567", 1234567m },
        { Count, "１，２３４", 1234m },
        { Count, "+5", 5m },
        { Count, "5件", 5m },
        { Count, "5 件", 5m },
        { Projects, "4个", 4m },
        { Items, "608项", 608m },
        { Change, "-3", -3m },
        { Change, "－３", -3m },
        { Change, "−3", -3m },
        { Change, "+441", 441m },
        { Amount, "244.19万元", 244.19m },
        { Amount, "251000元", 25.1m },
        { Amount, "1,251,000元", 125.1m },
        { Amount, "１２３．４５元", 0.012345m },
        { Amount, "0.5亿元", 5000m },
        { Amount, "7390.1万元", 7390.1m },
    };

    public static TheoryData<string, string> DashTexts => new()
    {
        { Count, "/" },
        { Count, "／" },
        { Count, "—" },
        { Count, "－" },
        { Count, "-" },
        { Count, "——" },
        { Amount, " - " },
    };

    public static TheoryData<string, string, string> BadTexts => new()
    {
        { Count, "abc", ValueRuleIds.Format },
        { Count, "1.2.3", ValueRuleIds.Format },
        { Count, "12,34", ValueRuleIds.Format },
        { Count, ",123", ValueRuleIds.Format },
        { Count, "1234,567", ValueRuleIds.Format },
        { Count, "3.", ValueRuleIds.Format },
        { Count, "+", ValueRuleIds.Format },
        { Count, "5%", ValueRuleIds.Format },
        { Count, "约5", ValueRuleIds.Format },
        { Count, "true", ValueRuleIds.Format },
        { Count, "1000000000000", ValueRuleIds.Range },
        { Count, "5人", ValueRuleIds.Unit },
        { Count, "5万元", ValueRuleIds.Unit },
        { Projects, "4项", ValueRuleIds.Unit },
        { Amount, "5件", ValueRuleIds.Unit },
        { Amount, "0.0000001万元", ValueRuleIds.Format },
    };

    [Theory]
    [MemberData(nameof(ReadableTexts))]
    public void Reads_the_number_and_keeps_the_text_beside_it(string cellId, string text, decimal expected)
    {
        var result = Normalize(Document(cellId, text));

        Assert.DoesNotContain(result.Problems, p => p.Severity == Severity.Error);
        Assert.Equal(expected, result.Table.GetValue(cellId));
        Assert.Equal(text, result.Table.GetRawText(cellId));
    }

    [Theory]
    [MemberData(nameof(DashTexts))]
    public void Reads_a_lone_dash_or_slash_as_an_explicit_zero_with_a_warning(string cellId, string text)
    {
        var result = Normalize(Document(cellId, text));

        Assert.Equal(0m, result.Table.GetValue(cellId));
        var problem = Assert.Single(result.Problems);
        Assert.Equal(ValueRuleIds.Dash, problem.RuleId);
        Assert.Equal(Severity.Warning, problem.Severity);
        Assert.Contains(text, problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\u3000")]
    [InlineData("\u00a0\u00a0")]
    public void Reads_empty_or_whitespace_text_as_blank(string text)
    {
        var result = Normalize(Document(Count, text));

        // The table's only cell is blank, so the report as a whole is empty; the cell itself is no problem.
        Assert.Equal([DocumentRuleIds.EmptyReport], result.Problems.Select(p => p.RuleId));
        Assert.Null(result.Table.GetValue(Count));
    }

    [Theory]
    [MemberData(nameof(BadTexts))]
    public void Rejects_unreadable_text_naming_the_cell_the_text_and_why(string cellId, string text, string ruleId)
    {
        var result = Normalize(Document(cellId, text));

        var problem = Assert.Single(result.Problems);
        Assert.Equal(ruleId, problem.RuleId);
        Assert.Equal(Severity.Error, problem.Severity);
        Assert.Equal(cellId, Assert.Single(problem.Cells).CellId);
        Assert.Contains(Fmt2019.GetCell(cellId).Label, problem.Message, StringComparison.Ordinal);
        Assert.Contains(text, problem.Message, StringComparison.Ordinal);
        Assert.Null(result.Table.GetValue(cellId));
    }

    [Theory]
    [InlineData(Count, "1000000000000")]
    [InlineData(Count, "99999999999999999999")]
    [InlineData(Change, "-1000000000000")]
    [InlineData(Amount, "20000000亿元")]
    public void Reports_a_number_too_large_for_any_real_cell_under_the_range_rule_not_the_format_rule(string cellId, string text)
    {
        var result = Normalize(Document(cellId, text));

        var problem = Assert.Single(result.Problems);
        Assert.Equal((ValueRuleIds.Range, Severity.Error), (problem.RuleId, problem.Severity));
        Assert.Equal(cellId, Assert.Single(problem.Cells).CellId);
        Assert.Contains(text, problem.Message, StringComparison.Ordinal);
        Assert.Null(result.Table.GetValue(cellId));
    }

    [Fact]
    public void Reports_a_json_number_too_large_for_any_real_cell_under_the_range_rule()
    {
        var document = Document(Count, "x") with
        {
            Values = new Dictionary<string, SubmittedValue> { [Count] = SubmittedValue.FromNumber(1e15m, "1e15") },
            Raw = new Dictionary<string, string>(),
        };

        var problem = Assert.Single(Normalize(document).Problems);

        Assert.Equal(ValueRuleIds.Range, problem.RuleId);
    }

    [Theory]
    [InlineData(Count, "100000000000", 100_000_000_000)]
    [InlineData(Amount, "10000000亿元", 100_000_000_000)]
    public void Reads_a_number_at_the_magnitude_limit(string cellId, string text, decimal expected)
    {
        var result = Normalize(Document(cellId, text));

        Assert.DoesNotContain(result.Problems, p => p.Severity == Severity.Error);
        Assert.Equal(expected, result.Table.GetValue(cellId));
    }

    [Fact]
    public void Takes_a_bare_amount_in_a_cell_without_a_printed_unit_as_ten_thousand_yuan_and_warns()
    {
        var result = SubmissionValidator.Default.Validate(Document(Amount, "7390.1"));

        Assert.Equal(7390.1m, result.Table.GetValue(Amount));
        var warning = Assert.Single(result.Violations);
        Assert.Equal("S2-9-AMOUNT-UNIT", warning.RuleId);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Equal(ValidationOutcome.AcceptedWithWarnings, result.Outcome);
    }

    [Fact]
    public void Takes_a_bare_json_number_in_that_cell_the_same_way()
    {
        var document = Document(Amount, "x") with
        {
            Values = new Dictionary<string, SubmittedValue> { [Amount] = SubmittedValue.FromNumber(12.5m, "12.5") },
            Raw = new Dictionary<string, string>(),
        };

        var result = SubmissionValidator.Default.Validate(document);

        Assert.Equal(12.5m, result.Table.GetValue(Amount));
        Assert.Equal("S2-9-AMOUNT-UNIT", Assert.Single(result.Violations).RuleId);
    }

    [Theory]
    [InlineData("万元", "7390.1", 7390.1)]
    [InlineData("元", "251000", 25.1)]
    public void Uses_the_unit_the_unit_printed_in_its_header_without_a_warning(string headerUnit, string text, decimal expected)
    {
        var document = Document(Amount, text) with { UnitsFromHeader = new Dictionary<string, string> { [Amount] = headerUnit } };

        var result = SubmissionValidator.Default.Validate(document);

        Assert.Equal(expected, result.Table.GetValue(Amount));
        Assert.Empty(result.Violations);
    }

    [Fact]
    public void Rejects_a_header_unit_that_contradicts_the_cell()
    {
        var document = Document(Count, "5") with { UnitsFromHeader = new Dictionary<string, string> { [Count] = "人" } };

        var result = Normalize(document);

        Assert.Equal(ValueRuleIds.Unit, Assert.Single(result.Problems).RuleId);
    }

    [Theory]
    [InlineData("fmt_2021", "s2_8.admin_fee.amount", "12.5")]
    [InlineData("stat_pre2019", "stat.s7_4.value", "3")]
    public void Takes_bare_amounts_in_cells_with_a_printed_unit_as_ten_thousand_yuan_silently(string formatId, string cellId, string text)
    {
        var document = new SubmissionDocument
        {
            FormatId = formatId,
            Year = formatId == "fmt_2021" ? 2021 : 2018,
            UnitName = "测试单位",
            Raw = new Dictionary<string, string> { [cellId] = text },
        };

        var result = Normalize(document);

        Assert.Empty(result.Problems);
        Assert.Equal(decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture), result.Table.GetValue(cellId));
    }

    [Fact]
    public void Reports_an_unknown_cell_id_as_an_error()
    {
        var result = Normalize(Document("s3.r3_3.total", "1"));

        var problem = Assert.Single(result.Problems);
        Assert.Equal(ValueRuleIds.UnknownCell, problem.RuleId);
        Assert.Contains("s3.r3_3.total", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_the_raw_text_instead_of_the_value_when_both_are_given()
    {
        var document = Document(Amount, "251000元") with
        {
            Values = new Dictionary<string, SubmittedValue> { [Amount] = SubmittedValue.FromNumber(251000m, "251000") },
        };

        Assert.Equal(25.1m, Normalize(document).Table.GetValue(Amount));
    }

    [Theory]
    [InlineData(Count, "-1", "负数")]
    [InlineData(Count, "1.5", "整数")]
    [InlineData(Projects, "-2个", "负数")]
    [InlineData(Change, "1.5", "整数")]
    [InlineData(Amount, "-3万元", "负数")]
    public void Rejects_negative_or_fractional_numbers_where_the_cell_type_forbids_them(string cellId, string text, string reason)
    {
        var result = SubmissionValidator.Default.Validate(Document(cellId, text));

        var violation = Assert.Single(result.Violations, v => v.RuleId == "ALL-NONNEG-INT");
        Assert.Equal(Severity.Error, violation.Severity);
        Assert.Equal(ValidationOutcome.Rejected, result.Outcome);
        Assert.Contains(reason, violation.Message, StringComparison.Ordinal);
        Assert.Contains(text, violation.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Change, "-3")]
    [InlineData(Amount, "0.5万元")]
    public void Accepts_negative_changes_and_fractional_amounts(string cellId, string text)
    {
        var result = SubmissionValidator.Default.Validate(Document(cellId, text));

        Assert.DoesNotContain(result.Violations, v => v.Severity == Severity.Error);
    }

    [Fact]
    public void Checks_the_old_forms_values_under_its_own_rule_id()
    {
        var document = new SubmissionDocument
        {
            FormatId = "stat_pre2019",
            Year = 2018,
            UnitName = "测试单位",
            Raw = new Dictionary<string, string> { ["stat.s6.value"] = "-1" },
        };

        var result = SubmissionValidator.Default.Validate(document);

        Assert.Equal("OLD-NONNEG", Assert.Single(result.Violations).RuleId);
    }

    private static FormDefinition Fmt2019 => FormCatalog.Default.Get("fmt_2019");

    private static NormalizationResult Normalize(SubmissionDocument document) =>
        TableNormalizer.Normalize(FormCatalog.Default.Get(document.FormatId), document);

    private static SubmissionDocument Document(string cellId, string text) => new()
    {
        FormatId = "fmt_2019",
        Year = 2019,
        UnitName = "测试单位",
        Raw = new Dictionary<string, string> { [cellId] = text },
    };
}

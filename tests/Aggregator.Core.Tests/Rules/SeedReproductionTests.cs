using System.Globalization;
using System.Text.Json;
using Aggregator.Core.Rules;
using Aggregator.Core.Tests.Support;
using Aggregator.Core.Values;

namespace Aggregator.Core.Tests.Rules;

/// <summary>The hand-verified rule_violations of the seeds and the Shanghai 2019 report are reproduced exactly.</summary>
public sealed class SeedReproductionTests
{
    [Theory]
    [MemberData(nameof(Seeds.All), MemberType = typeof(Seeds))]
    public void Reproduces_every_recorded_violation_with_its_rule_severity_and_binding(string seed)
    {
        var expected = ExpectedViolations(seed).Select(v => v.Key).Order(StringComparer.Ordinal).ToList();

        var actual = Validate(seed).Violations.Select(Key).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Seeds.All), MemberType = typeof(Seeds))]
    public void Reports_the_recorded_cells_and_values_of_each_violation(string seed)
    {
        var actual = Validate(seed).Violations.ToDictionary(Key);

        foreach (var (key, cells) in ExpectedViolations(seed))
        {
            var reported = actual[key].Cells.ToDictionary(c => c.CellId, c => c.Value);
            Assert.Equal(cells, reported);
        }
    }

    [Theory]
    [InlineData(Seeds.Seed002)]
    [InlineData(Seeds.Seed004)]
    public void Accepts_the_consistent_seeds_without_any_error(string seed)
    {
        var result = Validate(seed);

        Assert.DoesNotContain(result.Violations, v => v.Severity == Severity.Error);
        Assert.NotEqual(ValidationOutcome.Rejected, result.Outcome);
    }

    [Fact]
    public void Takes_the_unit_printed_in_the_header_so_seed_004_has_no_warning_either()
    {
        var result = Validate(Seeds.Seed004);

        Assert.Empty(result.Violations);
        Assert.Equal(7390.1m, result.Table.GetValue("s2_9.central_procurement.total_amount"));
    }

    [Fact]
    public void Reads_units_written_inside_the_cells_of_seed_002()
    {
        var table = Validate(Seeds.Seed002).Table;

        Assert.Equal(244.19m, table.GetValue("s2_9.central_procurement.total_amount"));
        Assert.Equal("244.19万元", table.GetRawText("s2_9.central_procurement.total_amount"));
        Assert.Equal(4m, table.GetValue("s2_9.central_procurement.projects"));
    }

    [Fact]
    public void Converts_the_shanghai_procurement_amount_from_yuan_to_ten_thousand_yuan()
    {
        var table = Validate(Seeds.Shanghai2019).Table;

        Assert.Equal(25.1m, table.GetValue("s2_9.central_procurement.total_amount"));
    }

    [Fact]
    public void Rejects_seed_001_whose_replies_do_not_add_up_and_says_so_with_the_numbers()
    {
        var result = Validate(Seeds.Seed001);

        Assert.Equal(ValidationOutcome.Rejected, result.Outcome);
        var replies = Assert.Single(result.Violations, v => v.RuleId == "OLD-S3-REPLIES");
        Assert.Equal("（三）申请答复数为 5，但第 1–8 项之和为 7（2 + 5 + 0 + 0 + 0 + 0 + 0 + 0）", replies.Message);
    }

    private static ValidationResult Validate(string seed) =>
        SubmissionValidator.Default.Validate(SubmissionDocument.Parse(DomainDirectory.Read(seed)));

    private static string Key(RuleViolation violation) =>
        Key(violation.RuleId, violation.Severity.ToWireName(), violation.Binding);

    private static string Key(string rule, string severity, IEnumerable<KeyValuePair<string, string>> binding) =>
        $"{rule}/{severity}/{string.Join(",", binding.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => $"{b.Key}={b.Value}"))}";

    private static List<KeyValuePair<string, Dictionary<string, decimal?>>> ExpectedViolations(string seed)
    {
        using var document = JsonDocument.Parse(DomainDirectory.Read(seed));
        return document.RootElement.GetProperty("rule_violations").EnumerateArray()
            .Select(v => new KeyValuePair<string, Dictionary<string, decimal?>>(
                Key(
                    v.GetProperty("rule").GetString()!,
                    v.GetProperty("severity").GetString()!,
                    v.GetProperty("bind").EnumerateObject().Select(b => new KeyValuePair<string, string>(b.Name, b.Value.GetString()!))),
                v.GetProperty("cells").EnumerateObject().ToDictionary(
                    c => c.Name,
                    c => c.Value.ValueKind == JsonValueKind.Null ? (decimal?)null : decimal.Parse(c.Value.GetRawText(), CultureInfo.InvariantCulture))))
            .ToList();
    }
}

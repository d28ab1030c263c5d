using System.Text.Json.Nodes;
using Aggregator.Cli;
using Aggregator.Cli.Demo;

namespace Aggregator.Pipeline.Tests.EndToEnd;

/// <summary><c>demo --tree</c>: a city of districts through the embedded pipeline, summed at the city and split by district.</summary>
public sealed class TreeDemoTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void A_small_tree_is_a_city_of_districts_and_a_large_one_a_province_of_cities()
    {
        var city = TreeScenario.Create(90);
        Assert.Equal("澄江市", city.Root.Name);
        Assert.Equal(3, city.InnerUnits.Count);
        Assert.All(city.InnerUnits, district => Assert.Equal(city.Root.Code, district.Parent));
        Assert.Equal(90, city.Leaves.Count);
        Assert.Equal(87, city.Submissions.Count);
        Assert.Contains(city.Leaves, unit => unit.Name == city.InnerUnits[0].Name + "教育局");

        var province = TreeScenario.Create(1_000);
        Assert.Equal(1_000, province.Leaves.Count);
        var cities = province.InnerUnits.Where(unit => unit.Parent == province.Root.Code).ToList();
        Assert.Equal(4, cities.Count);
        Assert.Equal(25, province.InnerUnits.Count - cities.Count);
        Assert.Equal(province.Units.Count(), province.Units.Select(unit => unit.Code).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(province.InnerUnits.Count, province.InnerUnits.Select(unit => unit.Name).Distinct(StringComparer.Ordinal).Count());
        // Parents come before their children, so that registering in order never names an unknown parent.
        var seen = new HashSet<string>(StringComparer.Ordinal) { province.Root.Code };
        Assert.All(province.Units, unit => Assert.True(seen.Add(unit.Code) && seen.Contains(unit.Parent!), unit.Code));
    }

    [Fact]
    public void Submissions_generated_one_at_a_time_are_those_the_scenario_keeps_in_the_same_order()
    {
        var kept = TreeScenario.Create(500, seed: 11).Submissions.Select(s => (s.Unit.Code, s.Document.ToJson())).ToList();
        var scenario = TreeScenario.Create(500, seed: 11);

        var streamed = scenario.GenerateSubmissions().Select(s => (s.Unit.Code, s.Document.ToJson())).ToList();
        var again = scenario.GenerateSubmissions().Select(s => (s.Unit.Code, s.Document.ToJson())).ToList();

        Assert.Equal(scenario.SubmissionCount, streamed.Count);
        Assert.Equal(kept, streamed);
        Assert.Equal(streamed, again);
        Assert.NotEqual(kept, TreeScenario.Create(500, seed: 12).GenerateSubmissions().Select(s => (s.Unit.Code, s.Document.ToJson())).ToList());
    }

    [Fact]
    public async Task The_tree_demo_sums_the_city_and_its_total_is_the_sum_of_its_districts()
    {
        var directory = Directory.CreateTempSubdirectory("aggregator-demo-tree-");
        using var stdout = new StringWriter();

        var exit = await Program.RunAsync(["demo", "--tree", "--units", "90", "--dir", directory.FullName], stdout, TextWriter.Null, Ct);

        Assert.Equal(0, exit);
        var text = stdout.ToString();
        // Three districts of 30 units: each has its 商务局, 统计局 and 交通运输局 (the 30 departments), one silent unit.
        Assert.Contains("应报单位 expected: 90  已汇总 included: 81  未通过 rejected: 6  未报送 missing: 3", text, StringComparison.Ordinal);
        Assert.Contains("直属下级 direct children:", text, StringComparison.Ordinal);
        Assert.Contains("(CJ-D001): 27 个单位 units", text, StringComparison.Ordinal);

        var rollup = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(directory.FullName, "rollup.json"), Ct))!;
        var children = rollup["children"]!.AsArray();
        Assert.Equal(["CJ-D001", "CJ-D002", "CJ-D003"], children.Select(child => (string)child!["unit_code"]!));
        Assert.Equal(81, children.Sum(child => (int)child!["units"]!));
        var totals = rollup["values"]!.AsObject();
        Assert.NotEmpty(totals);
        foreach (var (cell, value) in totals)
        {
            var sum = children.Sum(child => child!["values"]![cell] is { } part ? (decimal)part : 0m);
            Assert.True((decimal)value! == sum, $"{cell}: city {value} ≠ districts {sum}");
        }

        Assert.Contains("CJ-D001,", await File.ReadAllTextAsync(Path.Combine(directory.FullName, "units.csv"), Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ten_thousand_units_sum_to_what_their_accepted_payloads_add_up_to_and_the_broken_ones_are_listed()
    {
        var directory = Directory.CreateTempSubdirectory("aggregator-demo-tree-10k-");
        var scenario = TreeScenario.Create(10_000);

        var exit = await Program.RunAsync(["demo", "--tree", "--units", "10000", "--dir", directory.FullName], TextWriter.Null, TextWriter.Null, Ct);

        Assert.Equal(0, exit);
        // The sum the test computes itself: every cell the accepted units meant, added in decimal.
        var expected = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var submission in scenario.Submissions.Where(s => s.ShouldBeAccepted))
        {
            foreach (var (cell, value) in submission.IntendedValues)
            {
                expected[cell] = expected.GetValueOrDefault(cell) + value;
            }
        }

        var rollup = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(directory.FullName, "rollup.json"), Ct))!;
        var totals = rollup["values"]!.AsObject().ToDictionary(pair => pair.Key, pair => (decimal)pair.Value!, StringComparer.Ordinal);
        Assert.True(expected.Values.Sum() > 0);
        foreach (var cell in expected.Keys.Union(totals.Keys))
        {
            Assert.True(expected.GetValueOrDefault(cell) == totals.GetValueOrDefault(cell), $"{cell}: rollup {totals.GetValueOrDefault(cell)} ≠ payloads {expected.GetValueOrDefault(cell)}");
        }

        var broken = scenario.Submissions.Where(s => !s.ShouldBeAccepted).ToDictionary(s => s.Unit.Code, StringComparer.Ordinal);
        var rejected = rollup["rejected"]!.AsArray();
        Assert.True(broken.Count > 100, $"only {broken.Count} broken units");
        Assert.Equal(broken.Keys.Order(StringComparer.Ordinal), rejected.Select(unit => (string)unit!["unit_code"]!).Order(StringComparer.Ordinal));
        Assert.All(rejected, unit =>
        {
            var rules = unit!["rules"]!.AsArray().Select(rule => (string)rule!).ToList();
            Assert.All(broken[(string)unit["unit_code"]!].ExpectedErrorRules, rule => Assert.Contains(rule, rules));
        });
        var silent = scenario.Leaves.Select(unit => unit.Code).Except(scenario.Submissions.Select(s => s.Unit.Code), StringComparer.Ordinal);
        Assert.Equal(silent.Order(StringComparer.Ordinal), rollup["missing"]!.AsArray().Select(unit => (string)unit!["unit_code"]!).Order(StringComparer.Ordinal));
        directory.Delete(recursive: true);
    }
}

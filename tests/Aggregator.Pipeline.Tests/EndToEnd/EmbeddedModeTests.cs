using System.Globalization;
using System.Text.Json.Nodes;
using Aggregator.Cli;
using Aggregator.Cli.Demo;
using Aggregator.Cli.Hosting;
using Aggregator.Pipeline.Tests.Support;

namespace Aggregator.Pipeline.Tests.EndToEnd;

/// <summary>The 41-unit district through the embedded pipeline: in-memory bus, SQLite, the workers' own consumers.</summary>
public sealed class EmbeddedModeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Rolls_up_the_district_summing_exactly_the_accepted_units_and_listing_the_rest()
    {
        var scenario = DistrictScenario.Standard();
        var expected = new ScenarioExpectations(scenario);
        var databasePath = Path.Combine(Path.GetTempPath(), $"aggregator-embedded-{Guid.NewGuid():N}.db");
        await using var pipeline = await EmbeddedPipeline.StartAsync(databasePath, Ct);

        var result = await new PipelineRun(pipeline).RunAsync(
            scenario.Registrations, scenario.Root.Code, DistrictScenario.FormatId, DistrictScenario.Year,
            [.. scenario.Submissions.Select(s => new UnitDocument(s.Unit.Code, s.Document))], lenient: false, TimeSpan.FromMinutes(2), Ct);

        Assert.Empty(result.Refused);
        expected.AssertValues(result.Rollup.Values);
        Assert.Equal(expected.Included, result.Rollup.Included.Select(u => u.UnitCode).Order(StringComparer.Ordinal));
        expected.AssertRejected(result.Rollup.Rejected.ToDictionary(u => u.UnitCode, u => u.Rules));
        Assert.Equal(expected.Missing, result.Rollup.Missing.Select(u => u.UnitCode));
        Assert.Empty(result.Rollup.Pending);
        Assert.DoesNotContain(result.Rollup.Validation, v => v.IsError);
        var newApplications = expected.Values["s3.r1_new.total"].ToString(CultureInfo.InvariantCulture);
        Assert.Contains($"共新收政府信息公开申请{newApplications}件", result.Markdown, StringComparison.Ordinal);
        Assert.Contains(newApplications, result.Html, StringComparison.Ordinal);
        Assert.All(result.Rollup.Rejected, unit => Assert.Contains(unit.UnitName, result.Internal!.Html, StringComparison.Ordinal));
        Assert.All(result.Rollup.Rejected, unit => Assert.DoesNotContain(unit.UnitName, result.Html, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_rollup_command_writes_the_report_and_rollup_json_for_a_folder_of_submissions()
    {
        var scenario = DistrictScenario.Standard(seed: 11);
        var expected = new ScenarioExpectations(scenario);
        var folder = Directory.CreateTempSubdirectory("aggregator-rollup-in-");
        var output = Path.Combine(Path.GetTempPath(), $"aggregator-rollup-out-{Guid.NewGuid():N}");
        foreach (var submission in scenario.Submissions)
        {
            var document = submission.Document with { UnitCode = null };
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, submission.Unit.Code + ".json"), document.ToJson(), Ct);
        }

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await Program.RunAsync(["rollup", folder.FullName, "--out", output, "--name", "青岚区"], stdout, stderr, Ct);

        Assert.True(exit == ExitCodes.Ok, stderr.ToString());
        var rollup = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "rollup.json"), Ct))!;
        Assert.Equal(("fmt_2019", 2019), (rollup["format_id"]!.GetValue<string>(), rollup["year"]!.GetValue<int>()));
        expected.AssertValues(rollup["values"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<decimal>()));
        Assert.Equal(expected.Included, rollup["included"]!.AsArray().Select(u => u!["unit_code"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.All(rollup["included"]!.AsArray(), u => Assert.Equal(1, u!["version"]!.GetValue<int>()));
        expected.AssertRejected(rollup["rejected"]!.AsArray().ToDictionary(
            u => u!["unit_code"]!.GetValue<string>(),
            u => (IReadOnlyList<string>)[.. u!["rules"]!.AsArray().Select(r => r!.GetValue<string>())]));
        Assert.Contains("区商务局", await File.ReadAllTextAsync(Path.Combine(output, "report-internal.html"), Ct), StringComparison.Ordinal);
        Assert.StartsWith("# 青岚区2019年度", await File.ReadAllTextAsync(Path.Combine(output, "report.md"), Ct), StringComparison.Ordinal);
        Assert.Contains("S3-BALANCE", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_rollup_command_lists_a_unit_with_unreadable_values_as_rejected()
    {
        var folder = Directory.CreateTempSubdirectory("aggregator-rollup-in-");
        var output = Path.Combine(Path.GetTempPath(), $"aggregator-rollup-out-{Guid.NewGuid():N}");
        var good = TestDocuments.Json("A1", seed: 3);
        var bad = TestDocuments.Json("B2", seed: 4).WithCell("s3.r1_new.natural_person", "若干");
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "a.json"), good.ToJsonString(), Ct);
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "b.json"), bad.ToJsonString(), Ct);

        var exit = await Program.RunAsync(["rollup", folder.FullName, "--out", output], TextWriter.Null, TextWriter.Null, Ct);

        Assert.Equal(ExitCodes.Ok, exit);
        var rollup = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "rollup.json"), Ct))!;
        var rejected = Assert.Single(rollup["rejected"]!.AsArray());
        Assert.Equal("B2", rejected!["unit_code"]!.GetValue<string>());
        Assert.Contains("VALUE-FORMAT", rejected["rules"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("A1", Assert.Single(rollup["included"]!.AsArray())!["unit_code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("missing-folder")]
    [InlineData("empty-folder")]
    [InlineData("only-bad-json")]
    [InlineData("mixed-years")]
    public async Task The_rollup_command_refuses_bad_input_with_exit_code_2_and_a_message(string kind)
    {
        var folder = Directory.CreateTempSubdirectory("aggregator-rollup-bad-");
        switch (kind)
        {
            case "missing-folder":
                folder.Delete();
                break;
            case "only-bad-json":
                await File.WriteAllTextAsync(Path.Combine(folder.FullName, "x.json"), "{ not json", Ct);
                break;
            case "mixed-years":
                await File.WriteAllTextAsync(Path.Combine(folder.FullName, "a.json"), TestDocuments.Json("A1").ToJsonString(), Ct);
                var other = TestDocuments.Json("A2");
                other["year"] = 2020;
                await File.WriteAllTextAsync(Path.Combine(folder.FullName, "b.json"), other.ToJsonString(), Ct);
                break;
        }

        using var stderr = new StringWriter();
        var exit = await Program.RunAsync(["rollup", folder.FullName, "--out", Path.Combine(folder.FullName, "out")], TextWriter.Null, stderr, Ct);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.False(string.IsNullOrWhiteSpace(stderr.ToString()));
    }

    [Fact]
    public async Task The_demo_finishes_well_under_a_minute_and_prints_where_the_report_is()
    {
        var directory = Directory.CreateTempSubdirectory("aggregator-demo-");
        using var stdout = new StringWriter();
        var started = DateTime.UtcNow;

        var exit = await Program.RunAsync(["demo", "--dir", directory.FullName], stdout, TextWriter.Null, Ct);

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30), $"The demo took {DateTime.UtcNow - started}.");
        var text = stdout.ToString();
        Assert.Contains("已汇总 included: 36", text, StringComparison.Ordinal);
        Assert.Contains("未通过 rejected: 3", text, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(directory.FullName, "report.html"), text, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(directory.FullName, "rollup.json")));
    }
}

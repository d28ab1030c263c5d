using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Aggregator.Cli;
using Aggregator.Cli.Demo;
using Aggregator.Core.Forms;
using Aggregator.Core.Rules;
using Aggregator.Intake.Tests.Support;
using Aggregator.Storage;

namespace Aggregator.Intake.Tests;

/// <summary>
/// One rule set everywhere: for every submission file of the test material, <c>validate</c>, the API's dry run and
/// the <c>rollup</c> command give the same verdict with the same rule ids.
/// </summary>
public sealed class ReaderParityTests(ParityWorld world) : IClassFixture<ParityWorld>
{
    public static TheoryData<string> Files => new(ParityMaterial.Files.Value.Keys.Order(StringComparer.Ordinal));

    [Fact]
    public void The_material_covers_the_seeds_the_generator_and_every_added_case()
    {
        var names = ParityMaterial.Files.Value.Keys.ToList();

        Assert.Contains(names, n => n.StartsWith("domain-", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("generated-", StringComparison.Ordinal));
        Assert.Subset(names.ToHashSet(), new HashSet<string>(["added-duplicate-cell.json", "added-unknown-fields.json", "added-wrong-year-2022.json", "added-empty-values.json", "added-broken-json.json"]));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Validate_the_api_dry_run_and_rollup_give_the_same_verdict_and_rules(string name)
    {
        var path = ParityMaterial.Files.Value[name];
        var cli = Validate(path);
        var api = await DryRunAsync(await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));
        var rollup = await RollupAsync(path);

        if (cli.Outcome == "unreadable")
        {
            Assert.Equal((400, ContractCode(cli.Rules[0])), (api.Status, api.Code));
            Assert.Equal(ExitCodes.BadInput, rollup.Exit);
            Assert.All(cli.Rules, rule => Assert.Contains($"（{rule}）", rollup.Error, StringComparison.Ordinal));
            return;
        }

        var errors = cli.Errors;
        var refusing = errors.Where(world.RefusesAtIntake).ToList();
        if (refusing.Count > 0)
        {
            Assert.Equal(422, api.Status);
            Assert.Equal(refusing, refusing.SequenceEqual([DocumentRuleIds.FormYear]) ? [DocumentRuleIds.FormYear] : api.Rules);
            if (refusing.Contains(DocumentRuleIds.FormYear))
            {
                Assert.Equal("wrong_year", api.Code);
            }
        }
        else
        {
            Assert.Equal(200, api.Status);
            Assert.Equal($"{cli.Outcome}: {string.Join(", ", cli.Rules)}", $"{api.Outcome}: {string.Join(", ", api.Rules)}");
        }

        if (refusing.Contains(DocumentRuleIds.FormYear))
        {
            // No period can be opened for a year the format is not used for: the rollup refuses the folder, naming the rule.
            Assert.Equal(ExitCodes.BadInput, rollup.Exit);
            Assert.Contains($"（{DocumentRuleIds.FormYear}）", rollup.Error, StringComparison.Ordinal);
        }
        else if (cli.Outcome == "rejected")
        {
            Assert.True(rollup.Exit == ExitCodes.Ok, rollup.Error);
            Assert.Equal(errors, rollup.Rejected);
        }
        else
        {
            Assert.True(rollup.Exit == ExitCodes.Ok, rollup.Error);
            Assert.True(rollup.Included, $"{name} is {cli.Outcome} by validate but not included by rollup");
        }
    }

    private static string ContractCode(string rule) => rule switch
    {
        DocumentRuleIds.JsonSyntax => "invalid_json",
        DocumentRuleIds.JsonDepth => "json_too_deep",
        _ => "invalid_request",
    };

    private static Verdict Validate(string path)
    {
        using var output = new StringWriter();
        var code = Aggregator.Cli.Program.Run(["validate", "--json", path], output, TextWriter.Null);
        var file = JsonNode.Parse(output.ToString())![0]!;
        var outcome = file["outcome"]!.GetValue<string>();
        Assert.Equal(outcome switch { "unreadable" => 2, "rejected" => 1, _ => 0 }, code);
        if (outcome == "unreadable")
        {
            return new Verdict(outcome, [.. file["problems"]!.AsArray().Select(p => p!["rule"]!.GetValue<string>())], []);
        }

        var violations = file["violations"]!.AsArray();
        return new Verdict(
            outcome,
            Distinct(violations.Select(v => v!["rule"]!.GetValue<string>())),
            Distinct(violations.Where(v => v!["severity"]!.GetValue<string>() == "error").Select(v => v!["rule"]!.GetValue<string>())));
    }

    private async Task<ApiVerdict> DryRunAsync(byte[] bytes)
    {
        var period = world.PeriodFor(bytes);
        using var response = await world.Host.SendAsync(Request.Post($"/api/v1/periods/{period}/submissions?dryRun=true")
            .WithBytes(bytes, "application/json").WithKey(world.UnitKey));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        var status = (int)response.StatusCode;
        return status == 200
            ? new ApiVerdict(status, null, body["outcome"]!.GetValue<string>(), Distinct(body["violations"]!.AsArray().Select(v => v!["rule"]!.GetValue<string>())))
            : new ApiVerdict(status, body["code"]!.GetValue<string>(), null, Distinct((body["cells"]?.AsArray() ?? []).Select(c => c!["rule"]!.GetValue<string>())));
    }

    private static async Task<RollupVerdict> RollupAsync(string path)
    {
        var folder = Directory.CreateTempSubdirectory("aggregator-parity-in-");
        var output = Path.Combine(Path.GetTempPath(), $"aggregator-parity-out-{Guid.NewGuid():N}");
        try
        {
            File.Copy(path, Path.Combine(folder.FullName, "U1.json"));
            using var error = new StringWriter();
            var exit = await Aggregator.Cli.Program.RunAsync(["rollup", folder.FullName, "--out", output], TextWriter.Null, error, TestContext.Current.CancellationToken);
            if (exit != ExitCodes.Ok)
            {
                return new RollupVerdict(exit, error.ToString(), false, []);
            }

            var rollup = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "rollup.json"), TestContext.Current.CancellationToken))!;
            var rejected = rollup["rejected"]!.AsArray().SingleOrDefault();
            return new RollupVerdict(exit, error.ToString(), rollup["included"]!.AsArray().Count == 1,
                rejected is null ? [] : Distinct(rejected["rules"]!.AsArray().Select(r => r!.GetValue<string>())));
        }
        finally
        {
            folder.Delete(recursive: true);
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    private static List<string> Distinct(IEnumerable<string> rules) => [.. rules.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    private sealed record Verdict(string Outcome, List<string> Rules, List<string> Errors);

    private sealed record ApiVerdict(int Status, string? Code, string? Outcome, List<string> Rules);

    private sealed record RollupVerdict(int Exit, string Error, bool Included, List<string> Rejected);
}

/// <summary>An API over SQLite with district D, its unit U1 (and U1's key) and an open period for each national format.</summary>
public sealed class ParityWorld : IAsyncLifetime
{
    private readonly Dictionary<(string Form, int Year), Guid> _periods = [];
    private ApiHost? _host;

    public ApiHost Host => _host ?? throw new InvalidOperationException("The world has not started.");

    public string UnitKey { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        _host = await ApiHost.StartOnSqliteAsync();
        await Host.PostOkAsync("/api/v1/units", Host.AdminKey, new object[]
        {
            new { code = "D", name = "测试区", kind = OrgUnitKind.District },
            new { code = "U1", name = "测试区甲局", kind = OrgUnitKind.Department, parent = "D" },
        }, HttpStatusCode.OK);
        foreach (var (form, year) in new[] { ("stat_pre2019", 2018), ("fmt_2019", 2019), ("fmt_2021", 2021) })
        {
            var period = await Host.PostOkAsync("/api/v1/periods", Host.AdminKey,
                new { year, form_id = form, root_unit = "D", due_date = $"{year + 1}-01-31" }, HttpStatusCode.Created);
            _periods[(form, year)] = period["id"]!.GetValue<Guid>();
        }

        UnitKey = await Host.IssueKeyAsync(ApiKeyRole.Unit, "U1");
    }

    /// <summary>The period of the file's format and year; else one of its format (a wrong year); else the 2019 one.</summary>
    public Guid PeriodFor(byte[] bytes)
    {
        string? form = null;
        int? year = null;
        try
        {
            var json = JsonNode.Parse(bytes)?.AsObject();
            form = json?["format_id"]?.GetValue<string>();
            year = json?["year"]?.GetValue<int>();
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
        }

        return _periods.TryGetValue((form ?? "", year ?? 0), out var exact) ? exact
            : _periods.FirstOrDefault(p => p.Key.Form == form).Value is { } sameForm && sameForm != Guid.Empty ? sameForm
            : _periods[("fmt_2019", 2019)];
    }

    /// <summary>Whether the intake refuses a table with <paramref name="rule"/> at once (422) rather than storing it for validation.</summary>
    public bool RefusesAtIntake(string rule) =>
        rule is DocumentRuleIds.DuplicateCell or DocumentRuleIds.FormYear or ValueRuleIds.UnknownCell or ValueRuleIds.Format or ValueRuleIds.Range or ValueRuleIds.Unit
        || FormCatalog.Default.Forms.Any(f => f.Rules.Any(r => r.Id == rule && r.Check == "nonnegative_integer"));

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}

/// <summary>
/// The submission files of the test material: the repository's tests/**/*.json that are submissions, the shared
/// domain's transcribed seeds and real report, one generated table per kind of mistake the generator makes, and
/// files added here for each way a submission goes wrong.
/// </summary>
public static class ParityMaterial
{
    public static readonly Lazy<IReadOnlyDictionary<string, string>> Files = new(Build);

    private static IReadOnlyDictionary<string, string> Build()
    {
        var folder = Directory.CreateTempSubdirectory("aggregator-parity-material-").FullName;
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string name, string text) => Add2(name, Encoding.UTF8.GetBytes(text));
        void Add2(string name, byte[] bytes)
        {
            var path = Path.Combine(folder, name);
            File.WriteAllBytes(path, bytes);
            files[name] = path;
        }

        var repository = Ancestor(d => File.Exists(Path.Combine(d.FullName, "Aggregator.sln")));
        foreach (var file in Directory.EnumerateFiles(Path.Combine(repository.FullName, "tests"), "*.json", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                 && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                     .Where(IsSubmission))
        {
            Add2("repo-" + Path.GetFileName(file), File.ReadAllBytes(file));
        }

        var domain = Path.Combine(repository.FullName, "tests", "TestData", "domain");
        foreach (var file in Directory.EnumerateFiles(domain, "*.json", SearchOption.AllDirectories).Where(IsSubmission))
        {
            Add2("domain-" + Path.GetFileName(file), File.ReadAllBytes(file));
        }

        foreach (var mistake in Enum.GetValues<TableMistake>())
        {
            Add($"generated-{mistake}.json", Generated(mistake).ToJsonString());
        }

        Add("added-duplicate-cell.json", Generated().ToJsonString().Replace("\"values\":{", "\"values\":{\"s3.r1_new.natural_person\":1,", StringComparison.Ordinal));
        var renamed = Generated();
        renamed["formatId"] = renamed["format_id"]!.DeepClone();
        renamed.Remove("format_id");
        renamed["unitName"] = renamed["unit_name"]!.DeepClone();
        renamed.Remove("unit_name");
        renamed["narrative"] = "本单位说明";
        Add("added-unknown-fields.json", renamed.ToJsonString());
        Add("added-both-spellings.json", Generated().ToJsonString().Replace("{\"format_id\"", "{\"formatId\":\"fmt_2019\",\"format_id\"", StringComparison.Ordinal));
        var unknownCell = Generated();
        unknownCell["values"]!["s9.nowhere.total"] = 1;
        Add("added-unknown-cell.json", unknownCell.ToJsonString());
        var text = Generated();
        text["values"]!["s3.r1_new.natural_person"] = "很多";
        Add("added-text-value.json", text.ToJsonString());
        foreach (var year in new[] { 2022, 2017 })
        {
            var wrongYear = Generated();
            wrongYear["year"] = year;
            Add($"added-wrong-year-{year}.json", wrongYear.ToJsonString());
        }

        var empty = Generated();
        empty["values"] = new JsonObject();
        Add("added-empty-values.json", empty.ToJsonString());
        Add("added-broken-json.json", Generated().ToJsonString()[..300]);
        Add("added-too-deep.json", Generated().ToJsonString().Replace("\"values\":{", "\"values\":{\"x\":" + new string('[', 40) + new string(']', 40) + ",", StringComparison.Ordinal));
        Add("added-missing-unit-name.json", Generated().Without("unit_name").ToJsonString());
        Add("added-not-an-object.json", "[1,2,3]");
        return files;
    }

    private static JsonObject Generated(TableMistake mistake = TableMistake.None) =>
        JsonNode.Parse((new TableGenerator(new Random(17))
            .Generate(new ScenarioUnit("U1", "测试区甲局", OrgUnitKind.Department, "D", Busy: true), mistake).Document with { UnitCode = "U1" }).ToJson())!.AsObject();

    private static bool IsSubmission(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllBytes(path)) is JsonObject json && json.ContainsKey("format_id") && json.ContainsKey("values");
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static DirectoryInfo Ancestor(Func<DirectoryInfo, bool> match)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (match(directory))
            {
                return directory;
            }
        }

        throw new InvalidOperationException($"No ancestor of {AppContext.BaseDirectory} holds the test material.");
    }
}

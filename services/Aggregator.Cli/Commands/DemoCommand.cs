using System.CommandLine;
using System.Diagnostics;
using Aggregator.Cli.Demo;
using Aggregator.Cli.Hosting;
using Aggregator.Storage.Units;

namespace Aggregator.Cli.Commands;

/// <summary>
/// <c>aggregator demo [--dir DIR]</c>: a realistic 41-unit district through the embedded pipeline, end to end, with
/// the report written to DIR (./aggregator-demo by default). <c>--tree [--units N]</c>: a city of districts (a province
/// of cities past eight districts) of about N reporting units instead, summed at the top node and split by its children.
/// </summary>
public static class DemoCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static Command Create()
    {
        var directory = new Option<DirectoryInfo>("--dir")
        {
            Description = "工作目录：数据库、各单位报表和汇总报告写在这里",
            DefaultValueFactory = _ => new DirectoryInfo("aggregator-demo"),
        };
        var seed = new Option<int>("--seed") { Description = "生成数据的随机种子", DefaultValueFactory = _ => 2019 };
        var tree = new Option<bool>("--tree") { Description = "生成多级单位树（市—区—部门和乡镇街道，单位多时为省—市—区—…），在顶层汇总并按直属下级列出" };
        var units = new Option<int>("--units")
        {
            Description = $"与 --tree 同用：报送单位（叶子）的大约个数，默认 {TreeScenario.DefaultLeafCount}（一个市 3 个区）",
            DefaultValueFactory = _ => TreeScenario.DefaultLeafCount,
        };
        units.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 100_000)
            {
                result.AddError("--units 应为 1 到 100000 之间的整数");
            }
        });
        var command = new Command("demo", "演示：生成一个 41 个单位的区（或 --tree 多级单位树），逐单位提交、校验、汇总并生成报告") { directory, seed, tree, units };
        command.SetAction((parsed, ct) => parsed.GetValue(tree)
            ? RunTreeAsync(parsed.GetValue(directory)!, parsed.GetValue(units), parsed.GetValue(seed), parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error, ct)
            : RunAsync(parsed.GetValue(directory)!, parsed.GetValue(seed), parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error, ct));
        return command;
    }

    private static async Task<int> RunTreeAsync(DirectoryInfo directory, int leafCount, int seed, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        var scenario = TreeScenario.Create(leafCount, seed);
        // Generated one at a time, for the files and again for the pipeline: 10⁵ units' tables would take gigabytes.
        var submissions = await WriteSubmissionsAsync(directory, scenario.GenerateSubmissions(), ct);

        var districts = scenario.InnerUnits.Count(unit => unit.Kind == Aggregator.Storage.OrgUnitKind.District);
        var cities = scenario.InnerUnits.Count - districts;
        await stdout.WriteLineAsync($"{scenario.Root.Name}：{(cities > 0 ? $"{cities} 个市、" : "")}{districts} 个区、{scenario.Leaves.Count} 个报送单位，{scenario.SubmissionCount} 份报表");
        await stdout.WriteLineAsync($"{scenario.Root.Name}: {(cities > 0 ? $"{cities} cities, " : "")}{districts} districts, {scenario.Leaves.Count} reporting units, {scenario.SubmissionCount} submissions (fmt_2019, 2019)");

        // Every unit below the top node with its parent, so that `rollup submissions --units units.csv` sums the same tree.
        var unitsFile = Path.Combine(directory.FullName, "units.csv");
        await UnitsFile.WriteCsvAsync(unitsFile, scenario.Units.Select(u => new ExpectedUnit(u.Code, u.Name, u.Kind, u.Parent)), ct);

        var result = await RunPipelineAsync(directory, scenario.Registrations, scenario.Root.Code, scenario.Documents(), Timeout + TimeSpan.FromMilliseconds(50 * scenario.Leaves.Count), stdout, stderr, ct);
        if (result is null)
        {
            return ExitCodes.Failed;
        }

        var files = await OutputFiles.WriteAsync(directory.FullName, DistrictScenario.FormatId, DistrictScenario.Year, scenario.Root.Name, result, null, ct);
        RollupSummary.Write(stdout, $"{scenario.Root.Name} {DistrictScenario.Year} 年度政府信息公开工作年度报告汇总 consolidated report", result.Rollup,
            [.. files, ("各单位报表 submissions", submissions.FullName), ("单位树 units", unitsFile)], stopwatch.Elapsed);
        RollupSummary.WriteChildren(stdout, result.Children);
        return ExitCodes.Ok;
    }

    private static async Task<int> RunAsync(DirectoryInfo directory, int seed, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        var scenario = DistrictScenario.Standard(seed);
        var submissions = await WriteSubmissionsAsync(directory, scenario.Submissions, ct);

        await stdout.WriteLineAsync($"{scenario.Root.Name}：{scenario.Units.Count + 1} 个单位（区本级 + {scenario.Units.Count} 个部门和乡镇街道），{scenario.Submissions.Count} 份报表");
        await stdout.WriteLineAsync($"{scenario.Root.Name}: {scenario.Units.Count + 1} units, {scenario.Submissions.Count} submissions (fmt_2019, 2019)");
        foreach (var noted in scenario.Submissions.Where(s => s.Note is not null))
        {
            await stdout.WriteLineAsync($"  {noted.Unit.Name}：{noted.Note}");
        }

        // The units expected to submit, beside their submissions, so that `rollup submissions --units units.csv`
        // lists the one that did not as missing.
        var unitsFile = Path.Combine(directory.FullName, "units.csv");
        await UnitsFile.WriteCsvAsync(unitsFile, scenario.Units.Select(u => new ExpectedUnit(u.Code, u.Name, u.Kind, scenario.Root.Code)), ct);

        var result = await RunPipelineAsync(directory, scenario.Registrations, scenario.Root.Code, [.. scenario.Submissions.Select(s => new UnitDocument(s.Unit.Code, s.Document))], Timeout, stdout, stderr, ct);
        if (result is null)
        {
            return ExitCodes.Failed;
        }

        var files = await OutputFiles.WriteAsync(directory.FullName, DistrictScenario.FormatId, DistrictScenario.Year, scenario.Root.Name, result, null, ct);
        RollupSummary.Write(stdout, $"{scenario.Root.Name} {DistrictScenario.Year} 年度政府信息公开工作年度报告汇总 consolidated report", result.Rollup,
            [.. files, ("各单位报表 submissions", submissions.FullName), ("应报单位清单 units", unitsFile)], stopwatch.Elapsed);
        return ExitCodes.Ok;
    }

    private static async Task<DirectoryInfo> WriteSubmissionsAsync(DirectoryInfo directory, IEnumerable<GeneratedSubmission> generated, CancellationToken ct)
    {
        directory.Create();
        var submissions = Directory.CreateDirectory(Path.Combine(directory.FullName, "submissions"));
        foreach (var submission in generated)
        {
            await File.WriteAllTextAsync(Path.Combine(submissions.FullName, submission.Unit.Code + ".json"), submission.Document.ToJson(), ct);
        }

        return submissions;
    }

    /// <summary>The scenario through the embedded pipeline in the directory's database; null (the reason written) when it failed.</summary>
    private static async Task<PipelineRunResult?> RunPipelineAsync(
        DirectoryInfo directory,
        IReadOnlyList<UnitRegistration> registrations,
        string rootCode,
        IReadOnlyCollection<UnitDocument> documents,
        TimeSpan timeout,
        TextWriter stdout,
        TextWriter stderr,
        CancellationToken ct)
    {
        await using var pipeline = await EmbeddedPipeline.StartAsync(Path.Combine(directory.FullName, "aggregator.db"), ct);
        try
        {
            return await ConsoleProgress.RunAsync(stdout, progress => new PipelineRun(pipeline, progress).RunAsync(
                registrations,
                rootCode,
                DistrictScenario.FormatId,
                DistrictScenario.Year,
                documents,
                lenient: false,
                timeout,
                ct));
        }
        catch (PipelineFailedException exception)
        {
            await stderr.WriteLineAsync(exception.Code is null ? exception.Message : $"{exception.Message}（{exception.Code}）");
            return null;
        }
    }
}

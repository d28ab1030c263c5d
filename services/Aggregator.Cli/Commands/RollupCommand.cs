using System.CommandLine;
using System.Diagnostics;
using Aggregator.Application.Units;
using Aggregator.Cli.Hosting;
using Aggregator.Core.Forms;
using Aggregator.Core.Rules;
using Aggregator.Core.Values;
using Aggregator.Storage;
using Aggregator.Storage.Units;

namespace Aggregator.Cli.Commands;

/// <summary>
/// <c>aggregator rollup FOLDER --out DIR [--format-id ID --year N]</c>: every <c>*.json</c> in FOLDER is one unit's
/// submission; they go through the embedded pipeline and DIR receives report.html, report.md and rollup.json.
/// </summary>
public static class RollupCommand
{
    public const string RootCode = "ROLLUP";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "提交文件所在目录（每个 *.json 文件为一个单位的报表）" };
        var output = new Option<DirectoryInfo>("--out") { Description = "输出目录（report.html、report.md、rollup.json）", Required = true };
        var formatId = new Option<string?>("--format-id") { Description = "表式（缺省时取自文件）" };
        var year = new Option<int?>("--year") { Description = "报告年度（缺省时取自文件）" };
        var name = new Option<string>("--name") { Description = "汇总单位名称，印在报告标题中", DefaultValueFactory = _ => "汇总" };
        var command = new Command("rollup", "把目录中各单位的报表经校验后汇总，生成汇总报告") { folder, output, formatId, year, name };
        command.SetAction((parsed, ct) => RunAsync(
            parsed.GetValue(folder)!,
            parsed.GetValue(output)!,
            parsed.GetValue(formatId),
            parsed.GetValue(year),
            parsed.GetValue(name)!,
            parsed.InvocationConfiguration.Output,
            parsed.InvocationConfiguration.Error,
            ct));
        return command;
    }

    private static async Task<int> RunAsync(
        DirectoryInfo folder, DirectoryInfo output, string? formatId, int? year, string name, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        var input = ReadFolder(folder, formatId, year, stderr);
        if (input is null)
        {
            return ExitCodes.BadInput;
        }

        var units = new List<UnitRegistration> { new(RootCode, name, OrgUnitKind.Other, null) };
        units.AddRange(input.Documents.Select(d => new UnitRegistration(d.UnitCode, d.Document.UnitName, OrgUnitKind.Other, RootCode)));
        var databasePath = Path.Combine(Path.GetTempPath(), $"aggregator-rollup-{Guid.NewGuid():N}.db");
        try
        {
            await using var pipeline = await EmbeddedPipeline.StartAsync(databasePath, ct);
            var result = await ConsoleProgress.RunAsync(stdout, progress =>
                new PipelineRun(pipeline, progress).RunAsync(units, RootCode, input.FormatId, input.Year, input.Documents, lenient: true, Timeout, ct));

            output.Create();
            var files = await OutputFiles.WriteAsync(output.FullName, input.FormatId, input.Year, name, result, ct);
            RollupSummary.Write(stdout, $"{name} {input.Year} 年度汇总（{input.FormatId}，{input.Documents.Count} 个单位）", result.Rollup, files, stopwatch.Elapsed);
            return ExitCodes.Ok;
        }
        finally
        {
            foreach (var file in new[] { databasePath, databasePath + "-wal", databasePath + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    private sealed record FolderInput(string FormatId, int Year, IReadOnlyList<UnitDocument> Documents);

    private static FolderInput? ReadFolder(DirectoryInfo folder, string? formatId, int? year, TextWriter stderr)
    {
        if (!folder.Exists)
        {
            stderr.WriteLine($"目录不存在：{folder.FullName}");
            return null;
        }

        var files = folder.GetFiles("*.json").OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            stderr.WriteLine($"目录中没有 *.json 提交文件：{folder.FullName}");
            return null;
        }

        var parsed = new List<(FileInfo File, SubmissionDocument Document, string Text)>();
        var ok = true;
        foreach (var file in files)
        {
            var read = SubmissionFile.Read(file);
            if (read.Document is { } document)
            {
                parsed.Add((file, document, read.Text()));
            }
            else
            {
                stderr.WriteLine($"{file.Name}: {read.Describe()}");
                ok = false;
            }
        }

        if (!ok)
        {
            return null;
        }

        formatId ??= Single(parsed.Select(p => p.Document.FormatId), "表式", "--format-id", stderr);
        year ??= Single(parsed.Select(p => p.Document.Year), "报告年度", "--year", stderr);
        if (formatId is null || year is null)
        {
            return null;
        }

        if (!FormCatalog.Default.TryGet(formatId, out var form) || !form.ValidYears.Contains(year.Value))
        {
            stderr.WriteLine(form is null
                ? $"未知的表式“{formatId}”；可用的表式：{string.Join("、", FormCatalog.Default.Forms.Select(f => f.Id))}"
                : $"表式“{formatId}”不适用于 {year} 年度的报告（{DocumentRuleIds.FormYear}）");
            return null;
        }

        var mismatched = parsed.Where(p => p.Document.FormatId != formatId || p.Document.Year != year).ToList();
        foreach (var (file, document, _) in mismatched)
        {
            stderr.WriteLine($"{file.Name}: 表式 {document.FormatId}、年度 {document.Year} 与汇总的表式 {formatId}、年度 {year} 不符");
        }

        var documents = parsed.Select((p, i) => new UnitDocument(UnitCodeOf(p.File, p.Document, i), p.Document, p.Text)).ToList();
        foreach (var group in documents.GroupBy(d => d.UnitCode, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            stderr.WriteLine($"单位代码“{group.Key}”出现在多个文件中：{string.Join("、", group.Select(d => d.Document.UnitName))}");
            ok = false;
        }

        return ok && mismatched.Count == 0 ? new FolderInput(formatId, year.Value, documents) : null;
    }

    private static T? Single<T>(IEnumerable<T> values, string what, string option, TextWriter stderr)
        where T : struct, IEquatable<T> => SingleOrNull(values.Select(v => (T?)v), what, option, stderr);

    private static string? Single(IEnumerable<string> values, string what, string option, TextWriter stderr)
    {
        var distinct = values.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count == 1)
        {
            return distinct[0];
        }

        stderr.WriteLine($"文件的{what}不一致（{string.Join("、", distinct)}），请用 {option} 指定");
        return null;
    }

    private static T? SingleOrNull<T>(IEnumerable<T?> values, string what, string option, TextWriter stderr)
        where T : struct
    {
        var distinct = values.Distinct().ToList();
        if (distinct.Count == 1)
        {
            return distinct[0];
        }

        stderr.WriteLine($"文件的{what}不一致（{string.Join("、", distinct)}），请用 {option} 指定");
        return null;
    }

    private static string UnitCodeOf(FileInfo file, SubmissionDocument document, int index)
    {
        if (UnitCodes.IsValid(document.UnitCode))
        {
            return document.UnitCode!;
        }

        var stem = Path.GetFileNameWithoutExtension(file.Name);
        return UnitCodes.IsValid(stem) && stem != RootCode ? stem : $"U{index + 1:0000}";
    }
}

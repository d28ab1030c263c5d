using System.CommandLine;
using System.Diagnostics;
using Aggregator.Application.Units;
using Aggregator.Cli.Hosting;
using Aggregator.Core.Forms;
using Aggregator.Core.Rules;
using Aggregator.Core.Values;
using Aggregator.Import;
using Aggregator.Storage;
using Aggregator.Storage.Units;

namespace Aggregator.Cli.Commands;

/// <summary>
/// <c>aggregator rollup FOLDER --out DIR [--units FILE] [--format-id ID] [--year N]</c>: every <c>*.json</c> (filled-in <c>*.xlsx</c> template, Word <c>*.docx</c> report) in FOLDER,
/// or in a .zip given instead of FOLDER or lying in it, is one unit's submission; they go through the embedded pipeline and DIR receives report.html, report.md, report.docx, report.xlsx and
/// rollup.json. A file that cannot be read is listed as rejected with its reason; with <c>--units</c>, a listed unit
/// without a file is listed as missing. With <c>--previous LASTFOLDER</c> last year's files go through the pipeline
/// first, as the period of the year before, so that validation runs the cross-year checks and the report compares
/// every unit with its accepted table of last year.
/// </summary>
public static class RollupCommand
{
    public const string RootCode = "ROLLUP";

    /// <summary>The rule id under which a file that cannot be read at all is listed as rejected.</summary>
    public const string UnreadableRule = "FILE-UNREADABLE";

    /// <summary>The rule id under which a zip entry whose name points outside the archive is listed as rejected.</summary>
    public const string ZipEntryRefused = "ZIP-ENTRY-UNSAFE-NAME";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "提交文件所在目录或 .zip 文件（每个 *.json、填好的 *.xlsx 模板或 Word 年度报告 *.docx 为一个单位的报表；目录中的 *.zip 也读取其中各文件）" };
        var output = new Option<DirectoryInfo>("--out") { Description = "输出目录（report.html、report.md、report.docx、report.xlsx、rollup.json）", Required = true };
        var units = new Option<FileInfo?>("--units")
        {
            Description = "应报单位清单，未提交的单位列为未报送。" + UnitsFile.Shape
                + "；kind 为 district、department、township、street、city、other 之一（空为 other）；"
                + "parent 为清单中另一单位的代码，空或不在清单中则直属汇总单位",
        };
        var formatId = new Option<string?>("--format-id") { Description = "表式（缺省时取自文件；其他表式的文件列为跳过）" };
        var year = new Option<int?>("--year") { Description = "报告年度（缺省时取自文件；其他年度的文件列为跳过）" };
        var name = new Option<string>("--name") { Description = "汇总单位名称，印在报告标题中", DefaultValueFactory = _ => "汇总" };
        var templates = new Option<DirectoryInfo?>("--templates")
        {
            Description = "报告模板目录：其中与内置模板同名的文件（如 html/partials/annexes.sbn-html）替换内置模板",
        };
        var previous = new Option<DirectoryInfo?>("--previous")
        {
            Description = "上年度各单位报表所在目录（与本年目录格式相同）：用于跨年核对（上年结转、上一年项目数量）和附件4与上年度数据比较",
        };
        var text = new Option<FileInfo?>("--text")
        {
            Description = "区政府办公室撰写的报告文字（Markdown，UTF-8）：开头写“编制单位：”“发布日期：”“联系方式：”“地址：”行，"
                + "然后是“# 一、总体情况”（其下“## 主动公开”“## 依申请公开”“## 政府信息管理”“## 平台建设”“## 监督保障”）、"
                + "“# 五、存在的主要问题及改进情况”“# 六、其他需要报告的事项”",
        };
        var database = new Option<FileInfo?>("--db")
        {
            Description = "把汇总所用的 SQLite 数据库保存到此文件（已有的文件被替换）；缺省时使用临时文件，结束后删除",
        };
        var command = new Command("rollup", "把目录中各单位的报表经校验后汇总，生成汇总报告") { folder, output, units, formatId, year, name, templates, previous, text, database };
        command.SetAction((parsed, ct) => RunAsync(
            new RollupArguments(
                parsed.GetValue(folder)!, parsed.GetValue(output)!, parsed.GetValue(units), parsed.GetValue(formatId), parsed.GetValue(year), parsed.GetValue(name)!, parsed.GetValue(templates), parsed.GetValue(text), parsed.GetValue(database))
            {
                Previous = parsed.GetValue(previous),
            },
            parsed.InvocationConfiguration.Output,
            parsed.InvocationConfiguration.Error,
            ct));
        return command;
    }

    private sealed record RollupArguments(
        DirectoryInfo Folder, DirectoryInfo Output, FileInfo? Units, string? FormatId, int? Year, string Name, DirectoryInfo? Templates, FileInfo? Text, FileInfo? Database)
    {
        public DirectoryInfo? Previous { get; init; }
    }

    private static async Task<int> RunAsync(RollupArguments arguments, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        IReadOnlyList<ExpectedUnit>? expected = null;
        if (arguments.Units is { } unitsFile)
        {
            try
            {
                expected = UnitsFile.Read(unitsFile);
            }
            catch (UnitsFileException exception)
            {
                await stderr.WriteLineAsync(exception.Message);
                return ExitCodes.BadInput;
            }
        }

        if (arguments.Templates is { Exists: false } missingTemplates)
        {
            await stderr.WriteLineAsync($"模板目录不存在：{missingTemplates.FullName}");
            return ExitCodes.BadInput;
        }

        Reporting.ReportText? reportText = null;
        if (arguments.Text is { } textFile)
        {
            try
            {
                reportText = Reporting.ReportTextMarkdown.Parse(await File.ReadAllTextAsync(textFile.FullName, ct), textFile.Name);
            }
            catch (Exception exception) when (exception is Reporting.ReportTextException or IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync(exception is Reporting.ReportTextException ? exception.Message : $"无法读取报告文字 {textFile.FullName}：{exception.Message}");
                return ExitCodes.BadInput;
            }

            if (reportText.Check() is { Count: > 0 } problems)
            {
                await stderr.WriteLineAsync($"{textFile.Name}：{string.Join("；", problems.Select(p => $"{p.Key} {p.Value}"))}");
                return ExitCodes.BadInput;
            }
        }

        var input = ReadFolder(arguments, expected, stderr);
        if (input is null)
        {
            return ExitCodes.BadInput;
        }

        var registrations = new List<UnitRegistration> { new(RootCode, arguments.Name, OrgUnitKind.Other, null) };
        registrations.AddRange(expected is null
            ? input.Documents.Select(d => new UnitRegistration(d.UnitCode, d.Document.UnitName, OrgUnitKind.Other, RootCode))
            : expected.Select(u => new UnitRegistration(u.Code, u.Name, u.Kind, u.ParentCode ?? RootCode)));
        PreviousYearRun? previousYear = null;
        if (arguments.Previous is { } previousFolder)
        {
            previousYear = ReadPreviousFolder(arguments, previousFolder, input.Year, registrations, expected, stderr);
            if (previousYear is null)
            {
                return ExitCodes.BadInput;
            }
        }
        var databasePath = arguments.Database?.FullName ?? Path.Combine(Path.GetTempPath(), $"aggregator-rollup-{Guid.NewGuid():N}.db");
        try
        {
            var settings = new Dictionary<string, string?>();
            if (arguments.Templates is { } templateDirectory)
            {
                settings["Reporting:TemplateDirectory"] = templateDirectory.FullName;
            }

            await using var pipeline = await EmbeddedPipeline.StartAsync(databasePath, ct, settings);
            PipelineRunResult result;
            try
            {
                result = await ConsoleProgress.RunAsync(stdout, progress =>
                    new PipelineRun(pipeline, progress) { Text = reportText }.RunAsync(registrations, RootCode, input.FormatId, input.Year, input.Documents, lenient: true, Timeout, ct, previousYear));
            }
            catch (PipelineFailedException exception)
            {
                await stderr.WriteLineAsync(exception.Code is null ? exception.Message : $"{exception.Message}（{exception.Code}）");
                return ExitCodes.Failed;
            }

            var outcome = new FolderOutcome(input.Unreadable, input.Skipped);
            // A listed unit whose file could not be read is rejected for that reason, not missing.
            var unreadable = input.Unreadable.Select(u => u.UnitCode).ToHashSet(StringComparer.Ordinal);
            var rollup = result.Rollup with { Missing = [.. result.Rollup.Missing.Where(u => !unreadable.Contains(u.UnitCode))] };
            arguments.Output.Create();
            var files = await OutputFiles.WriteAsync(arguments.Output.FullName, input.FormatId, input.Year, arguments.Name, result with { Rollup = rollup }, outcome, ct);
            RollupSummary.Write(stdout, $"{arguments.Name} {input.Year} 年度汇总（{input.FormatId}，{input.Documents.Count} 个单位）", rollup, files, stopwatch.Elapsed, outcome);
            return ExitCodes.Ok;
        }
        finally
        {
            // A database asked for with --db is kept, interrupted or not: every write in it is a whole transaction.
            if (arguments.Database is null)
            {
                foreach (var file in new[] { databasePath, databasePath + "-wal", databasePath + "-shm" })
                {
                    File.Delete(file);
                }
            }
        }
    }

    // Last year's files are read like this year's; only units of this year's rollup can be compared, so the others are
    // left out (and said so) rather than registered, which would list them as missing this year.
    private static PreviousYearRun? ReadPreviousFolder(
        RollupArguments arguments, DirectoryInfo folder, int year, IReadOnlyList<UnitRegistration> registrations, IReadOnlyList<ExpectedUnit>? expected, TextWriter stderr)
    {
        stderr.WriteLine($"上年度报表目录：{folder.FullName}");
        var previous = ReadFolder(arguments with { Folder = folder, FormatId = null, Year = year - 1 }, expected, stderr);
        if (previous is null)
        {
            return null;
        }

        var codes = registrations.Select(r => r.Code).ToHashSet(StringComparer.Ordinal);
        foreach (var document in previous.Documents.Where(d => !codes.Contains(d.UnitCode)))
        {
            stderr.WriteLine($"上年度单位“{document.Document.UnitName}”（{document.UnitCode}）不在本年度汇总范围内，不作比较");
        }

        return new PreviousYearRun(previous.FormatId, previous.Year, [.. previous.Documents.Where(d => codes.Contains(d.UnitCode))]);
    }

    private sealed record FolderInput(
        string FormatId, int Year, IReadOnlyList<UnitDocument> Documents, IReadOnlyList<FolderFile> Unreadable, IReadOnlyList<FolderFile> Skipped);

    private static FolderInput? ReadFolder(RollupArguments arguments, IReadOnlyList<ExpectedUnit>? expected, TextWriter stderr)
    {
        var folder = arguments.Folder;
        var isZip = !folder.Exists && File.Exists(folder.FullName) && folder.Extension.Equals(".zip", StringComparison.OrdinalIgnoreCase);
        if (!folder.Exists && !isZip)
        {
            stderr.WriteLine(File.Exists(folder.FullName) ? $"{folder.FullName} 是一个文件，应为提交文件所在的目录或 .zip 文件" : $"目录不存在：{folder.FullName}");
            return null;
        }

        var names = expected?.ToDictionary(u => u.Code, u => u.Name, StringComparer.Ordinal);
        var parsed = new List<(string Name, SubmissionDocument Document, string Text)>();
        var unreadable = new List<FolderFile>();
        void Unreadable(string name, string reason)
        {
            var code = UnitCodeOf(name, null, unreadable.Count + parsed.Count);
            unreadable.Add(new FolderFile(name, code, names?.GetValueOrDefault(code) ?? Path.GetFileNameWithoutExtension(name), reason));
        }

        void Add(string name, SubmissionFile read)
        {
            if (read.Document is { } document)
            {
                parsed.Add((name, document, read.Text()));
            }
            else
            {
                Unreadable(name, read.Describe());
            }
        }

        var zips = isZip ? [new FileInfo(folder.FullName)] : folder.GetFiles("*.zip").OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        var files = isZip ? [] : folder.GetFiles("*.json").Concat(folder.GetFiles("*.xlsx")).Concat(folder.GetFiles("*.docx"))
            .Where(f => !f.Name.StartsWith("~$", StringComparison.Ordinal))
            .OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        if (files.Count == 0 && zips.Count == 0)
        {
            stderr.WriteLine($"目录中没有 *.json、*.xlsx、*.docx 或 *.zip 提交文件：{folder.FullName}");
            return null;
        }

        foreach (var file in files)
        {
            Add(file.Name, Path.GetExtension(file.Name).Equals(".docx", StringComparison.OrdinalIgnoreCase) ? ReadWord(file, arguments) : SubmissionFile.Read(file));
        }

        foreach (var zip in zips)
        {
            SubmissionArchive archive;
            try
            {
                using var stream = zip.OpenRead();
                archive = SubmissionArchive.Read(stream, ArchiveLimits.Default);
            }
            catch (Exception ex) when (ex is SubmissionArchiveException or IOException or UnauthorizedAccessException)
            {
                Unreadable(zip.Name, ex is SubmissionArchiveException archiveProblem ? $"{ex.Message.TrimEnd('。')}（{SubmissionFile.WorkbookRule(archiveProblem.Code)}）" : $"无法读取文件：{ex.Message}");
                continue;
            }

            foreach (var entry in archive.Entries)
            {
                var name = $"{zip.Name}/{entry.Name}";
                if (entry.Bytes is { } bytes)
                {
                    Add(name, SubmissionFile.Read(entry.Name, bytes, arguments.FormatId, arguments.Year));
                }
                else
                {
                    Unreadable(name, $"{entry.Problem}（{ZipEntryRefused}）");
                }
            }
        }

        foreach (var file in unreadable)
        {
            stderr.WriteLine($"{file.FileName}: {file.Reason}（列为未通过）");
        }

        if (parsed.Count == 0)
        {
            stderr.WriteLine($"目录中没有可读取的提交文件：{folder.FullName}");
            return null;
        }

        var formatId = arguments.FormatId ?? Single(parsed.Select(p => p.Document.FormatId), "表式", "--format-id", stderr);
        var year = arguments.Year ?? Single(parsed.Select(p => p.Document.Year), "报告年度", "--year", stderr);
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

        var skipped = new List<FolderFile>();
        var documents = new List<UnitDocument>();
        foreach (var ((file, document, text), index) in parsed.Select((p, i) => (p, i)))
        {
            var code = UnitCodeOf(file, document, index);
            string? reason = null;
            if (document.FormatId != formatId || document.Year != year)
            {
                reason = $"表式 {document.FormatId}、年度 {document.Year} 与汇总的表式 {formatId}、年度 {year} 不符";
            }
            else if (names is not null && !names.ContainsKey(code))
            {
                reason = $"单位代码“{code}”不在单位清单 {arguments.Units!.Name} 中";
            }

            if (reason is null)
            {
                documents.Add(new UnitDocument(code, document, text));
            }
            else
            {
                skipped.Add(new FolderFile(file, code, document.UnitName, reason));
                stderr.WriteLine($"{file}: {reason}（跳过）");
            }
        }

        var ok = documents.Count > 0;
        if (!ok)
        {
            stderr.WriteLine($"没有表式为 {formatId}、年度为 {year} 的提交文件可汇总");
        }

        foreach (var group in documents.GroupBy(d => d.UnitCode, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            stderr.WriteLine($"单位代码“{group.Key}”出现在多个文件中：{string.Join("、", group.Select(d => d.Document.UnitName))}");
            ok = false;
        }

        return ok ? new FolderInput(formatId, year.Value, documents, unreadable, skipped) : null;
    }

    private static int? Single(IEnumerable<int> values, string what, string option, TextWriter stderr) =>
        Single(values.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)), what, option, stderr) is { } text ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : null;

    private static string? Single(IEnumerable<string> values, string what, string option, TextWriter stderr)
    {
        var counts = values.GroupBy(v => v, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        if (counts.Count == 1)
        {
            return counts[0].Key;
        }

        stderr.WriteLine($"文件的{what}不一致（{string.Join("、", counts.Select(g => $"{g.Key}：{g.Count()} 个文件"))}）。"
            + $"请用 {option} 指定要汇总的{what}，例如 {option} {counts[0].Key}；其他{what}的文件将列为跳过。");
        return null;
    }

    private static SubmissionFile ReadWord(FileInfo file, RollupArguments arguments)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file.FullName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return SubmissionFile.Read(file);
        }

        return SubmissionFile.Read(file.Name, bytes, arguments.FormatId, arguments.Year);
    }

    private static string UnitCodeOf(string file, SubmissionDocument? document, int index)
    {
        if (UnitCodes.IsValid(document?.UnitCode))
        {
            return document!.UnitCode!;
        }

        return UnitCodes.FromFileName(file) is { } named && named != RootCode ? named : $"U{index + 1:0000}";
    }
}

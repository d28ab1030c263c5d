using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Aggregator.Core.Forms;
using Aggregator.Core.Rules;
using Aggregator.Core.Values;
using Spectre.Console;
using Spectre.Console.Rendering;
using ValidationResult = Aggregator.Core.Rules.ValidationResult;

namespace Aggregator.Cli.Commands;

/// <summary><c>aggregator validate [--json] [--forms DIR] FILE...</c>: checks submission documents against their format's rules.</summary>
public static class ValidateCommand
{
    private static readonly JsonWriterOptions JsonOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    // A table of tens of thousands of rows helps no one; --json lists them all.
    private const int ListedViolations = 50;

    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("files")
        {
            Description = "提交文件（JSON 或填好的 Excel 报表模板 .xlsx，每个文件为一个单位的报表）",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = new Option<bool>("--json") { Description = "以一个 JSON 数组输出全部结果" };
        var forms = new Option<DirectoryInfo?>("--forms") { Description = "补充或替换表式的目录（*.json 表式文件）" };
        var command = new Command("validate", "按表式的勾稽关系校验提交文件") { files, json, forms };
        command.SetAction(parsed => Run(
            parsed.GetValue(files) ?? [],
            parsed.GetValue(json),
            parsed.GetValue(forms),
            parsed.InvocationConfiguration.Output,
            parsed.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(FileInfo[] files, bool asJson, DirectoryInfo? formsDirectory, TextWriter output, TextWriter error)
    {
        FormCatalog catalog;
        try
        {
            catalog = formsDirectory is null ? FormCatalog.Default : FormCatalog.Load(formsDirectory.FullName);
        }
        catch (Exception ex) when (ex is FormDefinitionException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"无法读取表式目录 {formsDirectory?.FullName}：{ex.Message}");
            return ExitCodes.BadInput;
        }

        var validator = new SubmissionValidator(catalog);
        var results = new List<FileResult>();
        foreach (var file in files)
        {
            var read = SubmissionFile.Read(file);
            if (read.Document is not { } document)
            {
                error.WriteLine($"{file}: {read.Describe()}");
                results.Add(new FileResult(file.ToString(), null, null, read.Reading?.Problems ?? [new ReadingProblem("", read.FileProblem!, "$")]));
                continue;
            }

            try
            {
                results.Add(new FileResult(file.ToString(), document, validator.Validate(document), []));
            }
            catch (UnknownFormatException ex)
            {
                error.WriteLine($"{file}: {ex.Message}");
                results.Add(new FileResult(file.ToString(), document, null, [new ReadingProblem("", ex.Message, "format_id")]));
            }
        }

        if (asJson)
        {
            WriteJson(results, output);
        }
        else
        {
            WriteTables(results, output);
        }

        return results.Exists(r => r.Result is null) ? ExitCodes.BadInput
            : results.Exists(r => r.Result!.Outcome == ValidationOutcome.Rejected) ? ExitCodes.Rejected
            : ExitCodes.Ok;
    }

    private static void WriteJson(List<FileResult> results, TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, JsonOptions))
        {
            writer.WriteStartArray();
            foreach (var (file, document, result, problems) in results)
            {
                writer.WriteStartObject();
                writer.WriteString("file", file);
                if (document is not null)
                {
                    writer.WriteString("unit", document.UnitName);
                }

                if (result is null)
                {
                    // An unreadable file is listed too, with the reader's rule ids, so that a script sees every file.
                    writer.WriteString("outcome", "unreadable");
                    writer.WriteStartArray("problems");
                    foreach (var problem in problems)
                    {
                        writer.WriteStartObject();
                        if (problem.Rule.Length > 0)
                        {
                            writer.WriteString("rule", problem.Rule);
                        }

                        writer.WriteString("field", problem.Field);
                        writer.WriteString("message", problem.Message);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                    continue;
                }

                writer.WriteString("outcome", result.Outcome.ToWireName());
                writer.WriteStartArray("violations");
                foreach (var violation in result.Violations)
                {
                    writer.WriteStartObject();
                    writer.WriteString("rule", violation.RuleId);
                    writer.WriteString("severity", violation.Severity.ToWireName());
                    writer.WriteStartObject("binding");
                    foreach (var (name, value) in violation.Binding)
                    {
                        writer.WriteString(name, value);
                    }

                    writer.WriteEndObject();
                    writer.WriteStartObject("cells");
                    foreach (var cell in violation.Cells)
                    {
                        if (cell.Value is { } value)
                        {
                            writer.WriteNumber(cell.CellId, value);
                        }
                        else
                        {
                            writer.WriteNull(cell.CellId);
                        }
                    }

                    writer.WriteEndObject();
                    writer.WriteString("message", violation.Message);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteTables(List<FileResult> results, TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 120;
        foreach (var (file, document, result, _) in results)
        {
            if (document is null || result is null)
            {
                continue;
            }

            var errors = result.Violations.Count(v => v.Severity == Severity.Error);
            var warnings = result.Violations.Count - errors;
            console.Write(new Text($"文件：{file}\n单位：{document.UnitName}（{document.Year} 年度，表式 {result.Form.Id}）\n"));
            console.Write(new Text($"结论：{OutcomeText(result.Outcome)}（错误 {errors} 项，警告 {warnings} 项）\n"));
            if (result.Violations.Count > 0)
            {
                var table = new Table().AddColumn("规则").AddColumn("级别").AddColumn("说明");
                foreach (var violation in result.Violations.Take(ListedViolations))
                {
                    table.AddRow(new IRenderable[]
                    {
                        new Text(violation.RuleId),
                        new Text(violation.Severity == Severity.Error ? "错误" : "警告"),
                        new Text(violation.Message),
                    });
                }

                console.Write(table);
                if (result.Violations.Count > ListedViolations)
                {
                    console.Write(new Text($"另有 {result.Violations.Count - ListedViolations} 项未列出（共 {result.Violations.Count} 项；用 --json 查看全部）\n"));
                }
            }

            console.WriteLine();
        }
    }

    private static string OutcomeText(ValidationOutcome outcome) => outcome switch
    {
        ValidationOutcome.Accepted => "通过",
        ValidationOutcome.AcceptedWithWarnings => "通过（有警告）",
        _ => "不通过",
    };

    /// <summary>A file's verdict; <see cref="Result"/> is null when the file could not be read, and <see cref="Problems"/> says why.</summary>
    private sealed record FileResult(string File, SubmissionDocument? Document, ValidationResult? Result, IReadOnlyList<ReadingProblem> Problems);
}

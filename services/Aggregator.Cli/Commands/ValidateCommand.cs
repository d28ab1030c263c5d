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

    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("files")
        {
            Description = "提交文件（JSON，每个文件为一个单位的报表）",
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
        var unreadable = false;
        foreach (var file in files)
        {
            try
            {
                var document = SubmissionDocument.Parse(File.ReadAllText(file.FullName));
                results.Add(new FileResult(file.ToString(), document, validator.Validate(document)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SubmissionFormatException)
            {
                error.WriteLine($"{file}: {Describe(ex)}");
                unreadable = true;
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

        return unreadable ? ExitCodes.BadInput
            : results.Exists(r => r.Result.Outcome == ValidationOutcome.Rejected) ? ExitCodes.Rejected
            : ExitCodes.Ok;
    }

    private static string Describe(Exception ex) => ex switch
    {
        FileNotFoundException or DirectoryNotFoundException => "文件不存在",
        UnauthorizedAccessException => "无权读取该文件",
        IOException io => $"无法读取文件：{io.Message}",
        _ => ex.Message,
    };

    private static void WriteJson(List<FileResult> results, TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, JsonOptions))
        {
            writer.WriteStartArray();
            foreach (var (file, document, result) in results)
            {
                writer.WriteStartObject();
                writer.WriteString("file", file);
                writer.WriteString("unit", document.UnitName);
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
        foreach (var (file, document, result) in results)
        {
            var errors = result.Violations.Count(v => v.Severity == Severity.Error);
            var warnings = result.Violations.Count - errors;
            console.Write(new Text($"文件：{file}\n单位：{document.UnitName}（{document.Year} 年度，表式 {result.Form.Id}）\n"));
            console.Write(new Text($"结论：{OutcomeText(result.Outcome)}（错误 {errors} 项，警告 {warnings} 项）\n"));
            if (result.Violations.Count > 0)
            {
                var table = new Table().AddColumn("规则").AddColumn("级别").AddColumn("说明");
                foreach (var violation in result.Violations)
                {
                    table.AddRow(new IRenderable[]
                    {
                        new Text(violation.RuleId),
                        new Text(violation.Severity == Severity.Error ? "错误" : "警告"),
                        new Text(violation.Message),
                    });
                }

                console.Write(table);
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

    private sealed record FileResult(string File, SubmissionDocument Document, ValidationResult Result);
}

using System.Text;
using Aggregator.Application.Units;
using Aggregator.Core.Values;
using Aggregator.Import;
using Aggregator.Reporting.Workbooks;

namespace Aggregator.Cli.Commands;

/// <summary>
/// A submission file as <c>validate</c> and <c>rollup</c> read it: its bytes through the core's
/// <see cref="SubmissionReader"/>, exactly as the API reads a request body (a filled-in Excel template through
/// <see cref="SubmissionWorkbookReader"/>, as the API reads an .xlsx body), or why the file itself could not be read.
/// </summary>
internal sealed class SubmissionFile
{
    private readonly byte[] _bytes;

    private SubmissionFile(string? fileProblem, SubmissionReading? reading, byte[] bytes)
    {
        FileProblem = fileProblem;
        Reading = reading;
        _bytes = bytes;
    }

    /// <summary>Why the file could not be read at all (missing, a directory, not UTF-8), in Chinese.</summary>
    public string? FileProblem { get; }

    public SubmissionReading? Reading { get; }

    public SubmissionDocument? Document => Reading?.Document;

    public static SubmissionFile Read(FileInfo file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (Directory.Exists(file.FullName))
        {
            return Failed("这是目录而不是文件；请给出提交文件（*.json 或 *.xlsx）的路径，汇总整个目录请用 rollup 命令");
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file.FullName);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return Failed("文件不存在");
        }
        catch (UnauthorizedAccessException)
        {
            return Failed("无权读取该文件");
        }
        catch (IOException io)
        {
            return Failed($"无法读取文件：{io.Message}");
        }

        return Read(file.Name, bytes);
    }

    /// <summary>
    /// A file's bytes by its name (a file of a folder or an entry of a zip): a Word report (<c>.docx</c>) is read
    /// into the document of its values, as <c>import</c> does, taking the form and year from its title unless given.
    /// </summary>
    public static SubmissionFile Read(string name, byte[] bytes, string? formatId = null, int? year = null)
    {
        if (Path.GetExtension(name).Equals(".docx", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var report = WordReportReader.Default.Read(new MemoryStream(bytes), formatId, year);
                var document = report.ToSubmission(unitCode: UnitCodes.FromFileName(name));
                return new SubmissionFile(null, new SubmissionReading(document, []), Encoding.UTF8.GetBytes(document.ToJson()));
            }
            catch (Exception ex) when (ex is WordReportException or KeyNotFoundException)
            {
                var code = ex is WordReportException word ? word.Code : WordReportProblems.Unreadable;
                return new SubmissionFile(null, new SubmissionReading(null, [new ReadingProblem(WorkbookRule(code), ex.Message, "$")]), []);
            }
        }

        if (TemplateLayout.LooksLikeWorkbook(bytes) || Path.GetExtension(name).Equals(".xlsx", StringComparison.OrdinalIgnoreCase))
        {
            var workbook = SubmissionWorkbookReader.Read(bytes);
            if (workbook.Document is not { } document)
            {
                var problem = workbook.Problem!;
                return new SubmissionFile(null, new SubmissionReading(null, [new ReadingProblem(WorkbookRule(problem.Code), problem.Message, "$")]), []);
            }

            // Imported as the JSON of its values, the shape every stored version has.
            return new SubmissionFile(null, new SubmissionReading(document, []), Encoding.UTF8.GetBytes(document.ToJson()));
        }

        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return Failed("文件不是 UTF-8 编码的文本（可能是 GBK）；请另存为 UTF-8 后再试");
        }

        return new SubmissionFile(null, SubmissionReader.Read(bytes), bytes);
    }

    /// <summary>The file's text, as stored when the document is imported.</summary>
    public string Text() => Encoding.UTF8.GetString(_bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? _bytes.AsSpan(3) : _bytes);

    /// <summary>Why there is no document, in one line: each problem with its rule id.</summary>
    public string Describe() => FileProblem
        ?? string.Join("；", Reading!.Problems.Select(p => $"{p.Message.TrimEnd('。')}（{p.Rule}）"));

    /// <summary>The rule id a workbook's refusal is listed with: <c>workbook_unreadable</c> → <c>WORKBOOK-UNREADABLE</c>.</summary>
    internal static string WorkbookRule(string code) => code.ToUpperInvariant().Replace('_', '-');

    private static SubmissionFile Failed(string problem) => new(problem, null, []);
}

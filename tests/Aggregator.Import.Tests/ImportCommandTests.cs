using Aggregator.Cli;
using Aggregator.Core.Rules;
using Aggregator.Core.Values;
using Aggregator.Import.Tests.Support;

namespace Aggregator.Import.Tests;

/// <summary><c>aggregator import</c> run in-process through the CLI's entry point.</summary>
public sealed class ImportCommandTests(ITestOutputHelper log) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("aggregator-import-").FullName;

    [Fact]
    public void Prints_each_cell_read_with_its_printed_label_id_value_and_doubt()
    {
        var (code, output, error) = Run("import", Docx("shanghai_2019"));

        Assert.Equal(("", 1), (error, code)); // rejected: 表三's 总计 column is left blank on the result rows
        Assert.Contains("上海市人民政府办公厅（2019 年度，表式 fmt_2019）", output, StringComparison.Ordinal);
        Assert.Contains("s3.r1_new.natural_person", output, StringComparison.Ordinal);
        Assert.Contains("一、本年新收政府信息公开申请数量（自然人）", output, StringComparison.Ordinal);
        Assert.Contains("存疑：写作“251000元”", output, StringComparison.Ordinal);
        Assert.Contains("1 个存疑", output, StringComparison.Ordinal);
        Assert.Contains("予以公开及部分公开 258 件", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Writes_the_submission_json_that_validates_as_the_transcription_does()
    {
        var json = Path.Combine(_folder, "seed_002.json");

        var (code, output, _) = Run("import", Docx("seed_002"), "--out", json, "--unit-code", "DTQ");

        Assert.Equal(0, code);
        Assert.Contains("已写出提交文件", output, StringComparison.Ordinal);
        var document = SubmissionDocument.Parse(File.ReadAllText(json));
        Assert.Equal(("fmt_2019", 2019, "温州市洞头区", "DTQ"), (document.FormatId, document.Year, document.UnitName, document.UnitCode));
        Assert.Equal("244.19万元", document.Values["s2_9.central_procurement.total_amount"].Text);
        var verdict = SubmissionValidator.Default.Validate(document);
        Assert.Equal(ValidationOutcome.Accepted, verdict.Outcome);
    }

    [Fact]
    public void Exits_with_2_for_a_file_that_is_not_a_docx()
    {
        var path = Path.Combine(_folder, "report.docx");
        File.WriteAllText(path, "不是 Word 文件");

        var (code, _, error) = Run("import", path);

        Assert.Equal(2, code);
        Assert.Contains("不是有效的 Word 文档", error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Docx(string name)
    {
        var path = Path.Combine(_folder, name + ".docx");
        File.WriteAllBytes(path, Reports.Docx(name));
        return path;
    }

    private (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = Program.Run(args, output, error);
        log.WriteLine(output.ToString());
        return (code, output.ToString(), error.ToString());
    }
}

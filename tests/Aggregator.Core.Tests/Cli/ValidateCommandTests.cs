using System.Text.Json;
using Aggregator.Cli;
using Aggregator.Core.Tests.Support;

namespace Aggregator.Core.Tests.Cli;

/// <summary><c>aggregator validate</c> run in-process through the CLI's entry point.</summary>
public sealed class ValidateCommandTests
{
    [Theory]
    [InlineData(Seeds.Seed000, 0)]
    [InlineData(Seeds.Seed002, 0)]
    [InlineData(Seeds.Seed004, 0)]
    [InlineData(Seeds.Seed001, 1)]
    [InlineData(Seeds.Shanghai2019, 1)]
    public void Exits_with_1_only_when_a_file_is_rejected(string seed, int exitCode)
    {
        var (code, _, error) = Run("validate", DomainDirectory.File(seed));

        Assert.Equal(exitCode, code);
        Assert.Empty(error);
    }

    [Fact]
    public void Exits_with_1_when_any_of_several_files_is_rejected()
    {
        var (code, _, _) = Run("validate", DomainDirectory.File(Seeds.Seed002), DomainDirectory.File(Seeds.Seed001));

        Assert.Equal(1, code);
    }

    [Fact]
    public void Prints_a_readable_chinese_table_per_file()
    {
        var (_, output, _) = Run("validate", DomainDirectory.File(Seeds.Seed001));

        Assert.Contains("温州市商务局", output, StringComparison.Ordinal);
        Assert.Contains("不通过", output, StringComparison.Ordinal);
        Assert.Contains("OLD-S3-REPLIES", output, StringComparison.Ordinal);
        Assert.Contains("错误", output, StringComparison.Ordinal);
        Assert.Contains("申请答复数为 5", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Writes_one_json_array_with_file_unit_outcome_and_violations()
    {
        var seed001 = DomainDirectory.File(Seeds.Seed001);
        var seed004 = DomainDirectory.File(Seeds.Seed004);

        var (code, output, _) = Run("validate", "--json", seed001, seed004);

        Assert.Equal(1, code);
        Assert.Contains("温州市商务局", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(output);
        var files = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, files.Count);
        Assert.Equal(seed001, files[0].GetProperty("file").GetString());
        Assert.Equal("温州市商务局", files[0].GetProperty("unit").GetString());
        Assert.Equal("rejected", files[0].GetProperty("outcome").GetString());
        Assert.Equal("accepted", files[1].GetProperty("outcome").GetString());
        Assert.Empty(files[1].GetProperty("violations").EnumerateArray());

        var replies = files[0].GetProperty("violations").EnumerateArray().Single(v => v.GetProperty("rule").GetString() == "OLD-S3-REPLIES");
        Assert.Equal("error", replies.GetProperty("severity").GetString());
        Assert.Equal(5, replies.GetProperty("cells").GetProperty("stat.s3_3.value").GetDecimal());
        Assert.Equal(2, replies.GetProperty("cells").GetProperty("stat.s3_3_1.value").GetDecimal());
        Assert.StartsWith("（三）申请答复数为 5", replies.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Writes_blank_cells_as_json_null()
    {
        var (_, output, _) = Run("validate", "--json", DomainDirectory.File(Seeds.Shanghai2019));

        using var json = JsonDocument.Parse(output);
        var rowTotal = json.RootElement[0].GetProperty("violations").EnumerateArray().First(v => v.GetProperty("rule").GetString() == "S3-ROW-TOTAL");
        Assert.Equal(JsonValueKind.Null, rowTotal.GetProperty("cells").GetProperty("s3.r3_1_granted.total").ValueKind);
        Assert.Equal("accepted_with_warnings", JsonDocument.Parse(Run("validate", "--json", DomainDirectory.File(Seeds.Seed000)).Output).RootElement[0].GetProperty("outcome").GetString());
    }

    [Fact]
    public void Exits_with_2_when_a_file_does_not_exist()
    {
        var (code, _, error) = Run("validate", "/nonexistent/submission.json");

        Assert.Equal(2, code);
        Assert.Contains("文件不存在", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Exits_with_2_when_a_file_is_not_json()
    {
        using var folder = new TemporaryFolder();
        var path = folder.Write("broken.json", "{ not json");

        var (code, _, error) = Run("validate", path);

        Assert.Equal(2, code);
        Assert.Contains("JSON", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Exits_with_2_when_a_file_names_an_unknown_format()
    {
        using var folder = new TemporaryFolder();
        var path = folder.Write("unknown.json", """{"format_id":"fmt_1999","year":1999,"unit_name":"甲","values":{}}""");

        var (code, _, error) = Run("validate", path, DomainDirectory.File(Seeds.Seed001));

        Assert.Equal(2, code);
        Assert.Contains("fmt_1999", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Exits_with_2_when_no_file_is_given()
    {
        var (code, _, error) = Run("validate");

        Assert.Equal(2, code);
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Validates_with_formats_added_from_a_folder()
    {
        using var forms = new TemporaryFolder();
        forms.Write("fmt_2030.json", FormFiles.Minimal("fmt_2030", 2030));
        using var submissions = new TemporaryFolder();
        var path = submissions.Write("s.json", """{"format_id":"fmt_2030","year":2030,"unit_name":"甲","values":{"t.r.a":3,"t.r.b":2}}""");

        var (code, output, _) = Run("validate", "--json", "--forms", forms.Path, path);

        Assert.Equal(1, code);
        Assert.Contains("T-RULE", output, StringComparison.Ordinal);
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = Program.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}

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

    [Theory]
    [InlineData(2022)]
    [InlineData(2017)]
    public void Rejects_a_2019_format_file_declared_for_a_year_the_format_is_not_used_for(int year)
    {
        using var folder = new TemporaryFolder();
        var path = folder.Write("wrong-year.json", Seed002With(json => json["year"] = year));

        var (code, output, _) = Run("validate", "--json", path);

        Assert.Equal(1, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("rejected", json.RootElement[0].GetProperty("outcome").GetString());
        Assert.Contains("FORM-YEAR", Rules(json.RootElement[0]));
    }

    [Fact]
    public void Rejects_a_file_that_writes_a_cell_twice()
    {
        using var folder = new TemporaryFolder();
        var path = folder.Write("twice.json", DomainDirectory.Read(Seeds.Seed002).Replace(
            "\"values\": {", "\"values\": {\"s3.r1_new.natural_person\": 99,", StringComparison.Ordinal));

        var (code, output, _) = Run("validate", "--json", path);

        Assert.Equal(1, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("DUPLICATE-CELL", Rules(json.RootElement[0])[0]);
    }

    [Fact]
    public void Warns_that_a_file_with_empty_values_has_no_value_in_any_table()
    {
        using var folder = new TemporaryFolder();
        var path = folder.Write("empty.json", """{"format_id":"fmt_2019","year":2019,"unit_name":"甲","values":{}}""");

        var (code, output, _) = Run("validate", path);

        Assert.Equal(0, code);
        Assert.Contains("EMPTY-REPORT", output, StringComparison.Ordinal);
        Assert.Contains("没有任何数值", output, StringComparison.Ordinal);
        Assert.Contains("通过（有警告）", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Says_in_chinese_where_broken_json_breaks_with_line_and_column()
    {
        using var folder = new TemporaryFolder();
        var path = folder.Write("broken.json", "{\n  \"format_id\": \"fmt_2019\",\n  \"year\": 2019\n  \"unit_name\": \"甲\"\n}");

        var (code, _, error) = Run("validate", path);

        Assert.Equal(2, code);
        Assert.Contains("第 4 行第 3 列", error, StringComparison.Ordinal);
        Assert.Contains("JSON-SYNTAX", error, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Expected", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Says_that_a_directory_given_as_a_file_is_a_directory()
    {
        using var folder = new TemporaryFolder();

        var (code, _, error) = Run("validate", folder.Path);

        Assert.Equal(2, code);
        Assert.Contains("是目录而不是文件", error, StringComparison.Ordinal);
        Assert.DoesNotContain("无权", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Lists_an_unreadable_file_in_the_json_output_with_the_reader_rule()
    {
        using var folder = new TemporaryFolder();
        var path = folder.Write("broken.json", "{ not json");

        var (code, output, _) = Run("validate", "--json", path, DomainDirectory.File(Seeds.Seed004));

        Assert.Equal(2, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("unreadable", json.RootElement[0].GetProperty("outcome").GetString());
        Assert.Equal("JSON-SYNTAX", json.RootElement[0].GetProperty("problems")[0].GetProperty("rule").GetString());
        Assert.Equal("accepted", json.RootElement[1].GetProperty("outcome").GetString());
    }

    [Fact]
    public void Prints_a_table_of_forty_thousand_unknown_cells_shorter_than_the_file()
    {
        using var folder = new TemporaryFolder();
        var values = string.Join(",", Enumerable.Range(0, 40_000).Select(i => $"\"s9.unknown_{i}.total\":1"));
        var path = folder.Write("unknown.json", "{\"format_id\":\"fmt_2019\",\"year\":2019,\"unit_name\":\"甲\",\"values\":{" + values + "}}");

        var (code, output, _) = Run("validate", path);

        Assert.Equal(1, code);
        Assert.Contains("UNKNOWN-CELL", output, StringComparison.Ordinal);
        Assert.Contains("共 40000 项", output, StringComparison.Ordinal);
        Assert.True(output.Length < new FileInfo(path).Length, $"{output.Length} characters printed for a {new FileInfo(path).Length}-byte file");
    }

    private static string Seed002With(Action<System.Text.Json.Nodes.JsonObject> change)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(DomainDirectory.Read(Seeds.Seed002))!.AsObject();
        change(json);
        return json.ToJsonString();
    }

    private static List<string> Rules(JsonElement file) =>
        [.. file.GetProperty("violations").EnumerateArray().Select(v => v.GetProperty("rule").GetString()!)];

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = Program.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}

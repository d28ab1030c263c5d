using System.IO.Compression;
using System.Text.Json.Nodes;
using Aggregator.Cli;
using Aggregator.Cli.Demo;
using Aggregator.Core.Forms;
using Aggregator.Reporting.Workbooks;
using Aggregator.Testing.Office;

namespace Aggregator.Pipeline.Tests.EndToEnd;

/// <summary><c>aggregator rollup FILE.zip</c> and a folder with Word reports: every kind of file the office collects, mixed.</summary>
public sealed class RollupZipTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_zip_of_json_xlsx_and_docx_is_summed_and_its_broken_and_unsafe_entries_are_listed_as_rejected()
    {
        var scenario = DistrictScenario.Create(unitCount: 3, seed: 13, withMistakes: false, missing: 0);
        var (json, xlsx, docx) = (scenario.Submissions[0], scenario.Submissions[1], scenario.Submissions[2]);
        var form = FormCatalog.Default.Get(DistrictScenario.FormatId);
        var template = SubmissionTemplateWriter.Write(form, new SubmissionTemplateRequest(DistrictScenario.Year, xlsx.Unit.Code, xlsx.Unit.Name));
        var zip = Path.Combine(Directory.CreateTempSubdirectory("aggregator-rollup-zip-").FullName, "batch.zip");
        await File.WriteAllBytesAsync(zip, Zip(
            ($"{json.Unit.Code}.json", System.Text.Encoding.UTF8.GetBytes(json.Document.ToJson())),
            ($"excel/{xlsx.Unit.Code}.xlsx", WorkbookFiller.Fill(template, xlsx.Document.Values)),
            ($"word/2019/{docx.Unit.Code}.docx", WordDocuments.From(JsonNode.Parse(docx.Document.ToJson())!.AsObject(), docx.Unit.Name)),
            ("broken.json", "{\"format_id\": "u8.ToArray()),
            ("../outside.json", System.Text.Encoding.UTF8.GetBytes(json.Document.ToJson()))), Ct);

        var output = Path.Combine(Path.GetTempPath(), $"aggregator-rollup-out-{Guid.NewGuid():N}");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await Program.RunAsync(["rollup", zip, "--out", output], stdout, stderr, Ct);

        Assert.True(exit == ExitCodes.Ok, stderr.ToString());
        var rollup = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "rollup.json"), Ct))!;
        Assert.Equal(
            new[] { json.Unit.Code, xlsx.Unit.Code, docx.Unit.Code }.Order(StringComparer.Ordinal),
            rollup["included"]!.AsArray().Select(u => u!["unit_code"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        var rejected = rollup["rejected"]!.AsArray().ToDictionary(r => r!["file"]!.GetValue<string>(), r => r!["reason"]!.GetValue<string>());
        Assert.Equal(["batch.zip/../outside.json", "batch.zip/broken.json"], rejected.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("ZIP-ENTRY-UNSAFE-NAME", rejected["batch.zip/../outside.json"], StringComparison.Ordinal);
        Assert.Contains("batch.zip/broken.json", stdout.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(zip)!, "..", "outside.json")));

        var sums = rollup["values"]!.AsObject().ToDictionary(v => v.Key, v => v.Value!.GetValue<decimal>());
        var expected = new[] { json, xlsx, docx }.SelectMany(s => s.IntendedValues)
            .GroupBy(v => v.Key, v => v.Value)
            .ToDictionary(g => g.Key, g => g.Sum());
        Assert.Contains(expected, e => e.Value != 0);
        foreach (var (cell, sum) in expected)
        {
            Assert.True(sum == sums.GetValueOrDefault(cell), $"{cell}: expected {sum}, rollup {sums.GetValueOrDefault(cell)}");
        }
    }

    [Fact]
    public async Task A_folder_reads_word_reports_beside_json_and_the_zips_lying_in_it()
    {
        var scenario = DistrictScenario.Create(unitCount: 3, seed: 17, withMistakes: false, missing: 0);
        var folder = Directory.CreateTempSubdirectory("aggregator-rollup-in-");
        var (json, docx, zipped) = (scenario.Submissions[0], scenario.Submissions[1], scenario.Submissions[2]);
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, $"{json.Unit.Code}.json"), json.Document.ToJson(), Ct);
        await File.WriteAllBytesAsync(Path.Combine(folder.FullName, $"{docx.Unit.Code}.docx"), WordDocuments.From(JsonNode.Parse(docx.Document.ToJson())!.AsObject(), docx.Unit.Name), Ct);
        await File.WriteAllBytesAsync(Path.Combine(folder.FullName, "more.zip"), Zip(($"{zipped.Unit.Code}.json", System.Text.Encoding.UTF8.GetBytes(zipped.Document.ToJson()))), Ct);

        await File.WriteAllBytesAsync(Path.Combine(folder.FullName, "scan.docx"), "not a word file"u8.ToArray(), Ct);
        var output = Path.Combine(Path.GetTempPath(), $"aggregator-rollup-out-{Guid.NewGuid():N}");

        var exit = await Program.RunAsync(["rollup", folder.FullName, "--out", output], TextWriter.Null, TextWriter.Null, Ct);

        Assert.Equal(ExitCodes.Ok, exit);
        var rollup = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "rollup.json"), Ct))!;
        Assert.Equal(3, rollup["included"]!.AsArray().Count);
        var rejected = Assert.Single(rollup["rejected"]!.AsArray())!;
        Assert.Equal("scan.docx", rejected["file"]!.GetValue<string>());
        Assert.Contains("WORD-UNREADABLE", rejected["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static byte[] Zip(params (string Name, byte[] Bytes)[] entries)
    {
        using var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var entry = archive.CreateEntry(name).Open();
                entry.Write(bytes);
            }
        }

        return stream.ToArray();
    }
}

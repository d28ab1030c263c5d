namespace Aggregator.Cli.Hosting;

/// <summary>A file of a rollup folder that was not summed, and why.</summary>
public sealed record FolderFile(string FileName, string UnitCode, string UnitName, string Reason);

/// <summary>
/// What became of a rollup folder's files besides the pipeline's verdicts: the files that could not be read (listed as
/// rejected) and those of another format, year or unit list (skipped).
/// </summary>
public sealed record FolderOutcome(IReadOnlyList<FolderFile> Unreadable, IReadOnlyList<FolderFile> Skipped)
{
    public static FolderOutcome None { get; } = new([], []);
}

/// <summary>
/// Writes a run's report.html, report.md, report.docx, report.xlsx (the public edition), report-internal.html, .md,
/// .docx, .xlsx (the internal edition, with every annex) and rollup.json into a folder. Each file is written beside
/// its final name and moved into place, so a failed run never leaves a half-written report.
/// </summary>
public static class OutputFiles
{
    public static async Task<IReadOnlyList<(string Label, string Path)>> WriteAsync(
        string directory, string formatId, int year, string unitName, PipelineRunResult result, FolderOutcome? outcome, CancellationToken ct)
    {
        var files = new List<(string Label, string Path, byte[] Content)>
        {
            ("报告 HTML report", Path.Combine(directory, "report.html"), Utf8(result.Html)),
            ("报告 Markdown report", Path.Combine(directory, "report.md"), Utf8(result.Markdown)),
            ("报告 Word report", Path.Combine(directory, "report.docx"), result.Docx),
            ("报告 Excel workbook", Path.Combine(directory, "report.xlsx"), result.Xlsx),
        };
        if (result.Internal is { } edition)
        {
            files.Add(("内部版 HTML internal report", Path.Combine(directory, "report-internal.html"), Utf8(edition.Html)));
            files.Add(("内部版 Markdown internal report", Path.Combine(directory, "report-internal.md"), Utf8(edition.Markdown)));
            files.Add(("内部版 Word internal report", Path.Combine(directory, "report-internal.docx"), edition.Docx));
            files.Add(("内部版 Excel internal workbook", Path.Combine(directory, "report-internal.xlsx"), edition.Xlsx));
        }

        files.Add(("汇总数据 rollup data", Path.Combine(directory, "rollup.json"),
            Utf8(RollupJson.Write(formatId, year, unitName, result.Rollup, outcome ?? FolderOutcome.None, result.Children))));

        // Every file is written first and only then moved into place, so that a write that fails (a full disk) leaves
        // the folder's previous reports as they were.
        var staged = new List<(string Temporary, string Final)>();
        try
        {
            foreach (var (_, path, content) in files)
            {
                var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
                staged.Add((temporary, path));
                await File.WriteAllBytesAsync(temporary, content, ct);
            }

            foreach (var (temporary, final) in staged)
            {
                File.Move(temporary, final, overwrite: true);
            }
        }
        finally
        {
            foreach (var (temporary, _) in staged)
            {
                File.Delete(temporary);
            }
        }

        return [.. files.Select(f => (f.Label, f.Path))];
    }

    private static byte[] Utf8(string text) => System.Text.Encoding.UTF8.GetBytes(text);
}

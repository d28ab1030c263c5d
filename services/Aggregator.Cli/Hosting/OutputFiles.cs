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

/// <summary>Writes a run's report.html, report.md, report.docx, report.xlsx and rollup.json into a folder.</summary>
public static class OutputFiles
{
    public static async Task<IReadOnlyList<(string Label, string Path)>> WriteAsync(
        string directory, string formatId, int year, string unitName, PipelineRunResult result, FolderOutcome? outcome, CancellationToken ct)
    {
        var html = Path.Combine(directory, "report.html");
        var markdown = Path.Combine(directory, "report.md");
        var docx = Path.Combine(directory, "report.docx");
        var xlsx = Path.Combine(directory, "report.xlsx");
        var json = Path.Combine(directory, "rollup.json");
        await File.WriteAllTextAsync(html, result.Html, ct);
        await File.WriteAllTextAsync(markdown, result.Markdown, ct);
        await File.WriteAllBytesAsync(docx, result.Docx, ct);
        await File.WriteAllBytesAsync(xlsx, result.Xlsx, ct);
        await File.WriteAllTextAsync(json, RollupJson.Write(formatId, year, unitName, result.Rollup, outcome ?? FolderOutcome.None), ct);
        return
        [
            ("报告 HTML report", html),
            ("报告 Markdown report", markdown),
            ("报告 Word report", docx),
            ("报告 Excel workbook", xlsx),
            ("汇总数据 rollup data", json),
        ];
    }
}

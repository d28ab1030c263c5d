namespace Aggregator.Cli.Hosting;

/// <summary>Writes a run's report.html, report.md and rollup.json into a folder.</summary>
public static class OutputFiles
{
    public static async Task<IReadOnlyList<(string Label, string Path)>> WriteAsync(
        string directory, string formatId, int year, string unitName, PipelineRunResult result, CancellationToken ct)
    {
        var html = Path.Combine(directory, "report.html");
        var markdown = Path.Combine(directory, "report.md");
        var json = Path.Combine(directory, "rollup.json");
        await File.WriteAllTextAsync(html, result.Html, ct);
        await File.WriteAllTextAsync(markdown, result.Markdown, ct);
        await File.WriteAllTextAsync(json, RollupJson.Write(formatId, year, unitName, result.Rollup), ct);
        return [("报告 HTML report", html), ("报告 Markdown report", markdown), ("汇总数据 rollup data", json)];
    }
}

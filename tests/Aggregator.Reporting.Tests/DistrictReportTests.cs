using System.Diagnostics;
using System.Text.RegularExpressions;
using Aggregator.Reporting.Tests.Support;

namespace Aggregator.Reporting.Tests;

/// <summary>A whole district of 41 units, as Dongtou's platform had in 2019, rendered and printed.</summary>
public sealed partial class DistrictReportTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static ReportInput District41 => ReportInputs.District("fmt_2019", 2019, unitCount: 38, missing: 2, rejected: 1);

    [Fact]
    public void Renders_a_41_unit_district_with_every_unit_in_the_annexes()
    {
        var input = District41;
        var report = HtmlReport.Parse(ReportRenderer.CreateDefault().Render(input, ReportOutputFormat.Html));

        Assert.Equal(38 + 1, report.Table("breakdown-units").Body.Count);
        Assert.Equal(38, report.Table("completeness-included").Body.Count);
        Assert.Equal(2, report.Table("completeness-missing").Body.Count);
        Assert.Single(report.Table("completeness-rejected").Body);
        Assert.StartsWith("本报告应汇总单位41个，实际汇总38个", report.Paragraphs("section-overview").First().Value, StringComparison.Ordinal);
        var expectedTotal = input.IncludedUnits.Sum(u => u.Values.GetValueOrDefault("s3.r3_7_total.total") ?? 0);
        Assert.Equal(expectedTotal.ToString(System.Globalization.CultureInfo.InvariantCulture), report.Table("table-s3").Cell("（七）总计", "总计"));
    }

    [Fact]
    public void One_renderer_renders_reports_in_parallel_with_identical_results()
    {
        var renderer = ReportRenderer.CreateDefault();
        var input = District41;
        var expected = renderer.Render(input, ReportOutputFormat.Html);
        var results = new string[8];
        Parallel.For(0, results.Length, i => results[i] = renderer.Render(input, i % 2 == 0 ? ReportOutputFormat.Html : ReportOutputFormat.Markdown));
        Assert.All(results.Where((_, i) => i % 2 == 0), html => Assert.Equal(expected, html));
        Assert.Single(results.Where((_, i) => i % 2 == 1).Distinct());
    }

    [Fact]
    public void Headless_Chromium_prints_the_41_unit_report_on_A4_pages()
    {
        var chromium = new[] { Environment.GetEnvironmentVariable("AGGREGATOR_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));
        if (chromium is null)
        {
            Assert.Skip("Chromium is not installed (apt-get install chromium, or set AGGREGATOR_CHROMIUM).");
        }

        var html = _folder.Combine("district.html");
        var pdf = _folder.Combine("district.pdf");
        File.WriteAllText(html, ReportRenderer.CreateDefault().Render(District41, ReportOutputFormat.Html));

        var start = new ProcessStartInfo(chromium)
        {
            ArgumentList = { "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", $"--user-data-dir={_folder.Combine("profile")}", $"--print-to-pdf={pdf}", new Uri(html).AbsoluteUri },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using (var process = Process.Start(start)!)
        {
            _ = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            _ = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "Chromium did not finish within two minutes");
        }

        var text = System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(pdf));
        var pages = MediaBox().Matches(text);
        Assert.True(pages.Count >= 10, $"expected the report and its annexes over many pages, got {pages.Count}");
        Assert.All(pages, page =>
        {
            // A4 is 210 × 297 mm = 595.3 × 841.9 pt.
            Assert.InRange(double.Parse(page.Groups["width"].Value, System.Globalization.CultureInfo.InvariantCulture), 594, 596.5);
            Assert.InRange(double.Parse(page.Groups["height"].Value, System.Globalization.CultureInfo.InvariantCulture), 841, 843);
        });
    }

    [GeneratedRegex(@"/MediaBox \[0 0 (?<width>[\d.]+) (?<height>[\d.]+)\]")]
    private static partial Regex MediaBox();
}

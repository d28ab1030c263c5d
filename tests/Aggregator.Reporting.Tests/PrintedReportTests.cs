using System.Diagnostics;
using System.Text.RegularExpressions;
using Aggregator.Reporting.Tests.Support;

namespace Aggregator.Reporting.Tests;

/// <summary>
/// Both editions of every format opened in headless Chromium: printed to A4 PDF, laid out at the A4 text width without
/// anything running past it, and a screenshot taken. The PDFs and screenshots are left in artifacts/reports.
/// </summary>
public sealed partial class PrintedReportTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string? Chromium => new[] { Environment.GetEnvironmentVariable("AGGREGATOR_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser" }
        .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    // The text width of the print stylesheet's A4 page (210 mm less 22 mm and 20 mm margins), in screen layout, with a
    // script that lists every element whose right edge passes it.
    private const string OverflowProbe = """
        <style>html { background: none; } body { width: 168mm; margin: 0; } .report { max-width: none; margin: 0; padding: 0; }</style>
        <script>
        window.addEventListener('load', () => {
          const limit = document.querySelector('.report').getBoundingClientRect().right + 1;
          const over = [...document.querySelectorAll('.report *')]
            .filter(e => e.getBoundingClientRect().right > limit)
            .map(e => (e.id || e.tagName.toLowerCase()) + '「' + (e.textContent || '').trim().slice(0, 24) + '」');
          document.body.setAttribute('data-overflow', over.length ? over.slice(0, 8).join(' / ') : 'none');
        });
        </script>
        """;

    [Theory]
    [MemberData(nameof(GoldenReportTests.Cases), MemberType = typeof(GoldenReportTests))]
    public void Prints_on_A4_pages_with_nothing_past_the_text_width(string formatId, int year, string edition)
    {
        var chromium = Chromium;
        if (chromium is null)
        {
            Assert.Skip("Chromium is not installed (apt-get install chromium, or set AGGREGATOR_CHROMIUM).");
        }

        var input = GoldenReportTests.Input(formatId, year, edition == "internal" ? ReportEdition.Internal : ReportEdition.Public);
        var html = ReportRenderer.CreateDefault().Render(input, ReportOutputFormat.Html);
        var name = $"{formatId}-{edition}";
        var page = _folder.Combine($"{name}.html");
        File.WriteAllText(page, html);
        var artifacts = GoldenFiles.Artifacts("reports");
        var pdf = Path.Combine(artifacts, $"{name}.pdf");
        File.Delete(pdf);
        Run(chromium, "--no-pdf-header-footer", $"--print-to-pdf={pdf}", new Uri(page).AbsoluteUri);
        Run(chromium, "--window-size=820,2400", "--hide-scrollbars", $"--screenshot={Path.Combine(artifacts, $"{name}.png")}", new Uri(page).AbsoluteUri);

        var text = System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(pdf));
        var pages = MediaBox().Matches(text);
        Assert.True(pages.Count >= (edition == "internal" ? 4 : 2), $"{name}: {pages.Count} pages");
        Assert.All(pages, p =>
        {
            Assert.InRange(double.Parse(p.Groups["width"].Value, System.Globalization.CultureInfo.InvariantCulture), 594, 596.5);
            Assert.InRange(double.Parse(p.Groups["height"].Value, System.Globalization.CultureInfo.InvariantCulture), 841, 843);
        });

        var probe = _folder.Combine($"{name}-probe.html");
        File.WriteAllText(probe, html.Replace("</body>", OverflowProbe + "</body>", StringComparison.Ordinal));
        var dom = Run(chromium, "--virtual-time-budget=5000", "--dump-dom", new Uri(probe).AbsoluteUri);
        var overflow = Overflow().Match(dom);
        Assert.True(overflow.Success, $"{name}: the overflow probe did not run");
        Assert.Equal("none", overflow.Groups[1].Value);
    }

    private string Run(string chromium, params string[] arguments)
    {
        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", $"--user-data-dir={_folder.Combine("profile")}" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        _ = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "Chromium did not finish within two minutes");
        return output.Result;
    }

    [GeneratedRegex(@"/MediaBox \[0 0 (?<width>[\d.]+) (?<height>[\d.]+)\]")]
    private static partial Regex MediaBox();

    [GeneratedRegex("data-overflow=\"([^\"]*)\"")]
    private static partial Regex Overflow();
}

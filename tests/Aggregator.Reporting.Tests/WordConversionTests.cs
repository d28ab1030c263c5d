using System.Diagnostics;
using Aggregator.Reporting.Tests.Support;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;

namespace Aggregator.Reporting.Tests;

/// <summary>
/// The Word report of each format is valid Open XML, and where LibreOffice is installed (soffice on the PATH or in
/// AGGREGATOR_SOFFICE) it converts headless to a PDF. Without LibreOffice the conversion is not run and the test says
/// so in its output and as a warning; the Open XML validation still runs.
/// </summary>
public sealed class WordConversionTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string? Soffice =>
        new[] { Environment.GetEnvironmentVariable("AGGREGATOR_SOFFICE") }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').SelectMany(d => new[] { Path.Combine(d, "soffice"), Path.Combine(d, "libreoffice") }))
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    [Theory]
    [MemberData(nameof(GoldenReportTests.Cases), MemberType = typeof(GoldenReportTests))]
    public void The_Word_report_is_valid_and_converts_with_LibreOffice_where_installed(string formatId, int year, string edition)
    {
        var input = GoldenReportTests.Input(formatId, year, edition == "internal" ? ReportEdition.Internal : ReportEdition.Public);
        var docx = ReportRenderer.CreateDefault().RenderFile(input, ReportOutputFormat.Docx);
        using (var document = WordprocessingDocument.Open(new MemoryStream(docx), false))
        {
            var errors = new OpenXmlValidator().Validate(document, TestContext.Current.CancellationToken).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
            Assert.True(errors.Count == 0, string.Join("\n", errors));
        }

        if (Soffice is not { } soffice)
        {
            var reason = "LibreOffice (soffice) is not installed: the .docx was validated as Open XML but not converted to PDF.";
            TestContext.Current.TestOutputHelper?.WriteLine(reason);
            TestContext.Current.AddWarning(reason);
            return;
        }

        var path = _folder.Combine($"{formatId}-{edition}.docx");
        File.WriteAllBytes(path, docx);
        var start = new ProcessStartInfo(soffice)
        {
            ArgumentList = { $"-env:UserInstallation={new Uri(_folder.Combine("lo-profile")).AbsoluteUri}", "--headless", "--convert-to", "pdf", "--outdir", _folder.Path, path },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        _ = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "LibreOffice did not finish within three minutes");
        var pdf = Path.ChangeExtension(path, ".pdf");
        Assert.True(File.Exists(pdf) && new FileInfo(pdf).Length > 1000, "LibreOffice wrote no PDF");
        File.Copy(pdf, Path.Combine(GoldenFiles.Artifacts("reports"), $"{formatId}-{edition}-docx.pdf"), overwrite: true);
    }
}

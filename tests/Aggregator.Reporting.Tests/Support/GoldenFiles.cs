using System.Runtime.CompilerServices;
using System.Text;

namespace Aggregator.Reporting.Tests.Support;

/// <summary>
/// Expected outputs kept in tests/TestData/reports/golden. A test compares its output with the file and fails on the
/// first line that differs, leaving the actual output in artifacts/golden for a diff. Run with
/// <c>AGGREGATOR_UPDATE_GOLDEN=1</c> to write the current outputs as the new expected files instead (then review
/// them with git diff before committing).
/// </summary>
public static class GoldenFiles
{
    public const string UpdateVariable = "AGGREGATOR_UPDATE_GOLDEN";

    public static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) is "1" or "true";

    /// <summary>The repository's root, found from this source file's place in it.</summary>
    public static string RepositoryRoot([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", ".."));

    /// <summary>The copy of tests/TestData/reports beside the test binaries.</summary>
    public static string TestDataFolder => Path.Combine(AppContext.BaseDirectory, "reports");

    /// <summary>A folder under artifacts/ at the repository root, created when missing.</summary>
    public static string Artifacts(string name)
    {
        var folder = Path.Combine(RepositoryRoot(), "artifacts", name);
        Directory.CreateDirectory(folder);
        return folder;
    }

    public static void Verify(string relativePath, string actual)
    {
        actual = actual.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (Updating)
        {
            var source = Path.Combine(RepositoryRoot(), "tests", "TestData", "reports", "golden", relativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(source)!);
            File.WriteAllText(source, actual, new UTF8Encoding(false));
            return;
        }

        var expectedPath = Path.Combine(TestDataFolder, "golden", relativePath);
        Assert.True(File.Exists(expectedPath), $"No golden file {relativePath}; run the tests with {UpdateVariable}=1 to write it.");
        var expected = File.ReadAllText(expectedPath).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (expected == actual)
        {
            return;
        }

        var saved = Path.Combine(Artifacts("golden"), relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(saved)!);
        File.WriteAllText(saved, actual, new UTF8Encoding(false));
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        var line = Enumerable.Range(0, Math.Max(expectedLines.Length, actualLines.Length))
            .First(i => i >= expectedLines.Length || i >= actualLines.Length || expectedLines[i] != actualLines[i]);
        Assert.Fail($"{relativePath} differs from its golden file at line {line + 1}:\n"
            + $"expected: {(line < expectedLines.Length ? expectedLines[line] : "(end of file)")}\n"
            + $"actual:   {(line < actualLines.Length ? actualLines[line] : "(end of file)")}\n"
            + $"The actual output is in {saved}; if the change is intended, run with {UpdateVariable}=1.");
    }

    /// <summary>A Word report as text: each paragraph on a line, each table row as its cells joined by " | ".</summary>
    public static string DocxText(byte[] file)
    {
        var report = WordReport.Read(file);
        var text = new StringBuilder();
        foreach (var element in report.Body.Elements())
        {
            switch (element)
            {
                case DocumentFormat.OpenXml.Wordprocessing.Paragraph paragraph:
                    text.Append(paragraph.InnerText).Append('\n');
                    break;
                case DocumentFormat.OpenXml.Wordprocessing.Table table:
                    foreach (var row in table.Elements<DocumentFormat.OpenXml.Wordprocessing.TableRow>())
                    {
                        text.Append("| ").Append(string.Join(" | ", WordReport.CellTexts(row))).Append(" |\n");
                    }

                    break;
            }
        }

        text.Append("footer: ").Append(string.Join(" / ", report.Footers)).Append('\n');
        return text.ToString();
    }

    /// <summary>A workbook as text: each sheet's name, merges, then every cell in row order with its value and whether it is a number.</summary>
    public static string XlsxText(byte[] file)
    {
        var workbook = Workbook.Read(file);
        var text = new StringBuilder();
        foreach (var name in workbook.Names)
        {
            var sheet = workbook[name];
            text.Append("== ").Append(name).Append(" ==\n");
            text.Append("merged: ").Append(string.Join(" ", sheet.Merges)).Append('\n');
            foreach (var (reference, cell) in sheet.Cells.OrderBy(c => Workbook.Position(c.Key)))
            {
                text.Append(reference).Append('\t').Append(cell.IsNumber ? $"#{cell.Text} [{cell.NumberFormat}]" : cell.Text).Append('\n');
            }
        }

        return text.ToString();
    }
}

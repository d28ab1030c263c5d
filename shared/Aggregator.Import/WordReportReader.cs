using System.Globalization;
using System.IO.Packaging;
using System.Text.RegularExpressions;
using Aggregator.Core.Forms;
using Aggregator.Core.Rules;
using Aggregator.Core.Text;
using Aggregator.Core.Values;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Aggregator.Import;

/// <summary>
/// Reads a department's 政府信息公开工作年度报告 written in Word (.docx): its tables, found by their printed labels
/// (<see cref="CellLocator"/>), each cell's text read by the core exactly as a JSON submission is, and the narrative.
/// Nothing is stored; the department sees the result and confirms it.
/// </summary>
public sealed partial class WordReportReader(FormCatalog catalog)
{
    private const int TitleSearchParagraphs = 12;

    public static WordReportReader Default { get; } = new(FormCatalog.Default);

    /// <summary>Reads the document.</summary>
    /// <param name="formId">The form to read (the period's); otherwise the form of the year printed in the title.</param>
    /// <param name="year">The report year; otherwise the year printed in the title.</param>
    /// <exception cref="WordReportException">Not a .docx, no year to choose the form by, or none of the form's tables found.</exception>
    public WordReport Read(Stream docx, string? formId = null, int? year = null)
    {
        using var buffer = new MemoryStream();
        docx.CopyTo(buffer);
        buffer.Position = 0;
        WordprocessingDocument document;
        try
        {
            document = WordprocessingDocument.Open(buffer, false);
        }
        catch (Exception e) when (e is OpenXmlPackageException or FileFormatException or InvalidDataException or IOException)
        {
            throw new WordReportException("文件不是有效的 Word 文档（.docx），无法读取；请上传 Word 2007 及以后版本保存的 .docx 文件。", e);
        }

        using (document)
        {
            var body = document.MainDocumentPart?.Document?.Body
                ?? throw new WordReportException("Word 文档中没有正文，无法读取。");
            return Read(body, formId, year);
        }
    }

    private WordReport Read(Body body, string? formId, int? year)
    {
        var grids = body.Descendants<Table>().Where(t => !t.Ancestors<Table>().Any()).Select(WordGrid.From).ToList();
        var narrative = body.Descendants<Paragraph>()
            .Where(p => !p.Ancestors<Table>().Any())
            .Select(p => WordGrid.ParagraphText(p).Trim())
            .Where(t => t.Length > 0)
            .ToList();
        var title = FindTitle(body);
        year ??= FindYear(title) ?? narrative.Take(TitleSearchParagraphs).Select(FindYear).FirstOrDefault(y => y is not null);
        FormDefinition form;
        if (formId is not null)
        {
            form = catalog.Get(formId);
        }
        else if (year is { } y && catalog.TryGetForYear(y, out var forYear))
        {
            form = forYear;
        }
        else
        {
            throw new WordReportException(WordReportProblems.NoYear, "标题中没有报告年度（如“2019年度”），无法确定表式；请注明年度或表式。");
        }

        var located = Deduplicate(new CellLocator(form).Locate(grids));
        if (located.Count == 0)
        {
            throw new WordReportException(
                WordReportProblems.NoTables,
                $"文档中没有找到“{form.Title}”的任何表格（{string.Join("、", form.Tables.Select(t => t.Title.Split(" / ")[0]).Distinct())}）。");
        }

        var unitsFromHeader = located.Values
            .Where(l => l.Cell.HeaderUnit is not null)
            .ToDictionary(l => l.Cell.Cell.Id, l => l.Cell.HeaderUnit!, StringComparer.Ordinal);
        var report = new WordReport(
            form,
            year ?? form.ValidYears.From ?? 0,
            title,
            title is null ? null : UnitNameFrom(title),
            [],
            [],
            narrative,
            unitsFromHeader,
            []);
        var cells = located.Values.Select(l => new ImportedCell(l.Cell.Cell, PrintedLabelOf(l.Cell), l.Cell.Text, null, l.Doubt)).ToList();
        var normalized = TableNormalizer.Normalize(form, (report with { Cells = cells }).ToSubmission());
        cells = [.. cells.Select(c => Read(c, normalized)).OrderBy(c => c.Cell.Index)];
        var foundIds = cells.Select(c => c.Cell.Id).ToHashSet(StringComparer.Ordinal);
        return report with
        {
            Cells = cells,
            Missing = [.. form.Cells.Where(c => !foundIds.Contains(c.Id))],
            NarrativeFindings = NarrativeCheck.Check(form, normalized.Table, narrative),
        };
    }

    private static ImportedCell Read(ImportedCell cell, NormalizationResult normalized)
    {
        var problem = normalized.Problems.FirstOrDefault(p => p.Severity == Severity.Error && p.Cells.Any(c => c.CellId == cell.Cell.Id));
        var value = normalized.Table.GetValue(cell.Cell.Index);
        var doubt = cell.Doubt ?? problem?.Message;
        if (doubt is null && cell.Cell.IsMoney && value is { } amount)
        {
            var written = WrittenUnit(cell.Text);
            if (written is not null && written != "万元")
            {
                doubt = $"写作“{cell.Text.Trim()}”，按 {amount.ToString(CultureInfo.InvariantCulture)} 万元计，请核对单位";
            }
            else if (normalized.Table.IsUnitAssumed(cell.Cell.Index))
            {
                doubt = $"未注明单位，按 {amount.ToString(CultureInfo.InvariantCulture)} 万元计，请核对单位";
            }
        }

        return cell with { Value = value, Doubt = doubt };
    }

    private static Dictionary<string, (LocatedCell Cell, string? Doubt)> Deduplicate(IReadOnlyList<LocatedCell> located)
    {
        var byId = new Dictionary<string, (LocatedCell Cell, string? Doubt)>(StringComparer.Ordinal);
        foreach (var cell in located)
        {
            var doubt = cell.OtherCandidate is { } other ? $"位置不唯一，也可能是“{other.Label}”" : null;
            if (!byId.TryGetValue(cell.Cell.Id, out var first))
            {
                byId[cell.Cell.Id] = (cell, doubt);
            }
            else if (Compact(first.Cell.Text).Length == 0)
            {
                byId[cell.Cell.Id] = (cell, doubt ?? first.Doubt);
            }
            else if (Compact(cell.Text).Length > 0 && Compact(cell.Text) != Compact(first.Cell.Text))
            {
                byId[cell.Cell.Id] = (first.Cell, $"表中出现两次：“{first.Cell.Text.Trim()}”与“{cell.Text.Trim()}”，取前者");
            }
        }

        return byId;
    }

    private static string PrintedLabelOf(LocatedCell cell) => $"{cell.PrintedRow}（{cell.PrintedColumn}）";

    private static string Compact(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private static string? WrittenUnit(string text)
    {
        var compact = Compact(text);
        var end = compact.Length;
        while (end > 0 && !char.IsDigit(compact[end - 1]))
        {
            end--;
        }

        return end < compact.Length && end > 0 ? compact[end..] : null;
    }

    private static string? FindTitle(Body body)
    {
        var previous = "";
        foreach (var paragraph in body.Descendants<Paragraph>().Take(TitleSearchParagraphs))
        {
            var text = Compact(WordGrid.ParagraphText(paragraph));
            if (text.Contains("报告", StringComparison.Ordinal))
            {
                // Titles often break the unit's name and the year over two lines, in a one-cell table or in two paragraphs.
                if (paragraph.Ancestors<TableCell>().FirstOrDefault() is { } cell)
                {
                    return Compact(WordGrid.CellText(cell));
                }

                return YearPattern().Match(text) is { Success: true, Index: 0 } && previous.Length is > 0 and < 40 ? previous + text : text;
            }

            if (text.Length > 0)
            {
                previous = text;
            }
        }

        return null;
    }

    private static int? FindYear(string? text) =>
        text is not null && YearPattern().Match(text) is { Success: true } match
            ? int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture)
            : null;

    private static string? UnitNameFrom(string title)
    {
        var name = YearPattern().Replace(title, "", 1);
        var end = name.IndexOf("政府信息公开", StringComparison.Ordinal);
        name = (end >= 0 ? name[..end] : name).Trim('《', '》', '（', '）', ' ');
        return name.Length > 0 ? name : null;
    }

    [GeneratedRegex(@"((?:19|20)\d{2})\s*年度?")]
    private static partial Regex YearPattern();
}

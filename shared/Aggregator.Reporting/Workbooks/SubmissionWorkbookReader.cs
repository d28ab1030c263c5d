using System.Globalization;
using System.IO.Packaging;
using Aggregator.Core.Values;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Aggregator.Reporting.Workbooks;

/// <summary>The stable codes of a workbook that gives no submission; the HTTP contract exposes them.</summary>
public static class WorkbookProblemCodes
{
    /// <summary>Not an .xlsx workbook at all, or a damaged one.</summary>
    public const string Unreadable = "workbook_unreadable";

    /// <summary>A workbook, but not a submission template of this service (no metadata sheet).</summary>
    public const string NotATemplate = "not_a_submission_template";

    /// <summary>A template whose metadata or cell map was damaged (a cell deleted, the map edited).</summary>
    public const string Damaged = "template_damaged";
}

/// <summary>Why a workbook gives no submission document: one of <see cref="WorkbookProblemCodes"/>, in Chinese.</summary>
public sealed record WorkbookProblem(string Code, string Title, string Message);

/// <summary>What the reader made of a workbook: a submission document, or the problem that leaves none.</summary>
public sealed record WorkbookReading(SubmissionDocument? Document, WorkbookProblem? Problem);

/// <summary>
/// Reads a filled-in template written by <see cref="SubmissionTemplateWriter"/> into the submission document the JSON
/// of the same values gives: format, year and unit from the very hidden metadata sheet (the unit from the cover when
/// the template left it open), and each input cell found through its defined name, which Excel keeps pointing at the
/// cell when sheets are renamed or reordered and rows or columns moved; the hidden cell map is the fallback for a
/// name a tool dropped. Numbers become JSON-like numbers, text stays text for the core's reader to judge, so the
/// verdict is the one the JSON would get.
/// </summary>
public static class SubmissionWorkbookReader
{
    public static WorkbookReading Read(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (!TemplateLayout.LooksLikeWorkbook(bytes))
        {
            return Refused(WorkbookProblemCodes.Unreadable, "不是 Excel 工作簿", "上传的文件不是 Excel 工作簿（.xlsx）；请上传从本系统下载的报表模板。");
        }

        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            using var document = SpreadsheetDocument.Open(stream, false);
            return Read(document);
        }
        catch (Exception exception) when (exception is OpenXmlPackageException or InvalidDataException or FileFormatException or IOException or InvalidOperationException)
        {
            return Refused(WorkbookProblemCodes.Unreadable, "Excel 工作簿无法读取", "上传的 .xlsx 文件已损坏或不完整，无法读取；请重新保存后上传。");
        }
    }

    private static WorkbookReading Read(SpreadsheetDocument document)
    {
        var workbookPart = document.WorkbookPart;
        var sheets = workbookPart?.Workbook?.Sheets?.Elements<Sheet>().ToList() ?? [];
        var sheetsByName = new Dictionary<string, WorksheetPart>(StringComparer.OrdinalIgnoreCase);
        foreach (var sheet in sheets)
        {
            if (sheet.Name?.Value is { } name && sheet.Id?.Value is { } id && workbookPart!.TryGetPartById(id, out var part) && part is WorksheetPart worksheet)
            {
                sheetsByName[name] = worksheet;
            }
        }

        if (workbookPart is null || !sheetsByName.TryGetValue(TemplateLayout.MetadataSheet, out var metadataPart))
        {
            return NotATemplate();
        }

        var strings = workbookPart.SharedStringTablePart?.SharedStringTable?.Elements<SharedStringItem>().Select(i => i.InnerText).ToList() ?? [];
        var cellsBySheet = new Dictionary<WorksheetPart, Dictionary<string, Cell>>();
        var metadata = MetadataRows(CellsOf(metadataPart), strings);
        if (metadata.Entries.GetValueOrDefault(TemplateLayout.TemplateKey) != TemplateLayout.Marker)
        {
            return NotATemplate();
        }

        if (metadata.Entries.GetValueOrDefault(TemplateLayout.VersionKey) != TemplateLayout.Version)
        {
            return Damaged($"报表模板的版本“{metadata.Entries.GetValueOrDefault(TemplateLayout.VersionKey)}”无法识别；请重新下载模板。");
        }

        var formatId = metadata.Entries.GetValueOrDefault(TemplateLayout.FormatKey);
        if (string.IsNullOrWhiteSpace(formatId)
            || !int.TryParse(metadata.Entries.GetValueOrDefault(TemplateLayout.YearKey), NumberStyles.None, CultureInfo.InvariantCulture, out var year))
        {
            return Damaged("报表模板缺少表式或年度信息；请重新下载模板。");
        }

        var names = workbookPart.Workbook.DefinedNames?.Elements<DefinedName>()
            .Where(n => n.Name?.Value is not null && n.LocalSheetId is null)
            .GroupBy(n => n.Name!.Value!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Text, StringComparer.OrdinalIgnoreCase) ?? [];

        var values = new Dictionary<string, SubmittedValue>(StringComparer.Ordinal);
        var statedUnits = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (cellId, mappedSheet, mappedReference, statedUnit) in metadata.CellMap)
        {
            var located = Locate(names.GetValueOrDefault(TemplateLayout.CellNamePrefix + cellId), sheetsByName)
                ?? (sheetsByName.TryGetValue(mappedSheet, out var mapped) ? (mapped, mappedReference) : null);
            if (located is not { } at)
            {
                return Damaged($"报表模板中单元格“{cellId}”的位置已丢失（可能删除了它所在的行、列或工作表）；请在新下载的模板中重新填写。");
            }

            if (CellsIn(at.Part).GetValueOrDefault(at.Reference) is { } cell && ValueOf(cell, strings) is { } value)
            {
                values[cellId] = value;
                if (statedUnit.Length > 0)
                {
                    // The template prints the unit the national form leaves out, so a bare number there is unambiguous.
                    statedUnits[cellId] = statedUnit;
                }
            }
        }

        var pinnedCode = Blank(metadata.Entries.GetValueOrDefault(TemplateLayout.UnitCodeKey));
        var pinnedName = Blank(metadata.Entries.GetValueOrDefault(TemplateLayout.UnitNameKey));
        var unitCode = pinnedCode ?? TextAt(names.GetValueOrDefault(TemplateLayout.UnitCodeName));
        var unitName = pinnedName ?? TextAt(names.GetValueOrDefault(TemplateLayout.UnitNameName)) ?? unitCode ?? string.Empty;
        return new WorkbookReading(new SubmissionDocument
        {
            FormatId = formatId,
            Year = year,
            UnitName = unitName,
            UnitCode = unitCode,
            Values = values,
            UnitsFromHeader = statedUnits,
        }, null);

        Dictionary<string, Cell> CellsIn(WorksheetPart part)
        {
            if (!cellsBySheet.TryGetValue(part, out var cells))
            {
                cellsBySheet[part] = cells = CellsOf(part);
            }

            return cells;
        }

        string? TextAt(string? qualified) =>
            Locate(qualified, sheetsByName) is { } at && CellsIn(at.Part).GetValueOrDefault(at.Reference) is { } cell
                ? Blank(TextOf(cell, strings))
                : null;
    }

    private static (WorksheetPart Part, string Reference)? Locate(string? qualified, Dictionary<string, WorksheetPart> sheets) =>
        qualified is not null
        && !qualified.Contains("#REF!", StringComparison.Ordinal)
        && CellReferences.TrySplit(qualified, out var sheet, out var reference)
        && sheets.TryGetValue(sheet, out var part)
            ? (part, reference)
            : null;

    private static Dictionary<string, Cell> CellsOf(WorksheetPart part)
    {
        var cells = new Dictionary<string, Cell>(StringComparer.OrdinalIgnoreCase);
        foreach (var cell in part.Worksheet.Descendants<Cell>())
        {
            if (cell.CellReference?.Value is { } reference)
            {
                cells[reference] = cell;
            }
        }

        return cells;
    }

    private static (Dictionary<string, string> Entries, List<(string CellId, string Sheet, string Reference, string StatedUnit)> CellMap) MetadataRows(
        Dictionary<string, Cell> cells, List<string> strings)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        var map = new List<(string, string, string, string)>();
        var inMap = false;
        for (var row = 1; row <= cells.Count + 1; row++)
        {
            var key = Cell("A");
            var value = Cell("B");
            if (key is null)
            {
                continue;
            }

            if (key == "cell_id")
            {
                inMap = true;
            }
            else if (inMap)
            {
                map.Add((key, value ?? string.Empty, Cell("C") ?? string.Empty, Cell("D") ?? string.Empty));
            }
            else
            {
                entries[key] = value ?? string.Empty;
            }

            string? Cell(string column) =>
                cells.GetValueOrDefault(column + row.ToString(CultureInfo.InvariantCulture)) is { } cell ? TextOf(cell, strings) : null;
        }

        return (entries, map);
    }

    /// <summary>The cell as the JSON would carry it: a number, a text, or nothing for a blank cell.</summary>
    private static SubmittedValue? ValueOf(Cell cell, List<string> strings)
    {
        var type = cell.DataType?.Value;
        if (type is null || type == CellValues.Number)
        {
            var text = cell.CellValue?.Text;
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            return Number(text) is { } number
                ? SubmittedValue.FromNumber(number, number.ToString(CultureInfo.InvariantCulture))
                : SubmittedValue.FromText(text);
        }

        if (type == CellValues.Boolean)
        {
            return SubmittedValue.FromText(cell.CellValue?.Text == "1" ? "TRUE" : "FALSE");
        }

        var written = TextOf(cell, strings);
        return string.IsNullOrEmpty(written) ? null : SubmittedValue.FromText(written);
    }

    // Excel keeps numbers as doubles and may write 17 significant digits (0.30000000000000004); 15 is what it shows.
    private static decimal? Number(string text)
    {
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var exact) && SignificantDigits(exact) <= 15)
        {
            return exact;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var approximate)
            && double.IsFinite(approximate) && Math.Abs(approximate) < 7.9e28
                ? (decimal)approximate
                : null;
    }

    private static int SignificantDigits(decimal value)
    {
        var digits = decimal.Abs(value).ToString(CultureInfo.InvariantCulture).Replace(".", string.Empty, StringComparison.Ordinal).TrimStart('0');
        return digits.Length;
    }

    private static string? TextOf(Cell cell, List<string> strings)
    {
        var type = cell.DataType?.Value;
        if (type == CellValues.SharedString)
        {
            return int.TryParse(cell.CellValue?.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < strings.Count
                ? strings[index]
                : null;
        }

        if (type == CellValues.InlineString)
        {
            return cell.InlineString?.InnerText;
        }

        return cell.CellValue?.Text;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static WorkbookReading NotATemplate() => Refused(WorkbookProblemCodes.NotATemplate, "不是本系统的报表模板",
        "上传的 Excel 工作簿不是本系统生成的报表模板（找不到模板信息）；请先下载本填报期的模板，在其中填写后上传。");

    private static WorkbookReading Damaged(string message) => Refused(WorkbookProblemCodes.Damaged, "报表模板已损坏", message);

    private static WorkbookReading Refused(string code, string title, string message) => new(null, new WorkbookProblem(code, title, message));
}

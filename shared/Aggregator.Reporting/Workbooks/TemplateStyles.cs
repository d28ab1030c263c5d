using Aggregator.Reporting.Office;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Aggregator.Reporting.Workbooks;

/// <summary>The template's cell formats; an index here is a position in the stylesheet's cell formats.</summary>
internal static class TemplateStyles
{
    public const uint Title = 1;
    public const uint Header = 2;
    public const uint Label = 3;
    public const uint CountInput = 4;
    public const uint SignedInput = 5;
    public const uint MoneyInput = 6;
    public const uint HeadingInput = 7;
    public const uint Computed = 8;
    public const uint Note = 9;
    public const uint TextInput = 10;

    /// <summary>The differential format conditional formatting uses for a total that disagrees with its parts.</summary>
    public const uint MismatchFormat = 0;

    private const uint SignedFormatId = 164;
    private const uint NoFill = 0;
    private const uint InputFill = 2;
    private const uint ComputedFill = 3;

    public static Stylesheet Stylesheet()
    {
        var numberingFormats = new NumberingFormats(new NumberingFormat { NumberFormatId = SignedFormatId, FormatCode = "+0;-0;0" }) { Count = 1 };
        var fonts = new Fonts(
            new Font(new FontSize { Val = 11 }, new FontName { Val = "宋体" }),
            new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "宋体" }),
            new Font(new Italic(), new FontSize { Val = 11 }, new Color { Rgb = "FF595959" }, new FontName { Val = "宋体" }))
        { Count = 3 };
        var fills = new Fills(
            new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
            Solid("FFFFF2CC"),
            Solid("FFE7E6E6"))
        { Count = 4 };
        var borders = SpreadsheetBorders.NoneAndThinBox();
        CellFormat[] formats =
        [
            Format(0, 0, NoFill, bordered: false, locked: true, HorizontalAlignmentValues.General, wrap: false),
            Format(0, 1, NoFill, bordered: false, locked: true, HorizontalAlignmentValues.Left, wrap: false),
            Format(0, 1, NoFill, bordered: true, locked: true, HorizontalAlignmentValues.Center, wrap: true),
            Format(0, 0, NoFill, bordered: true, locked: true, HorizontalAlignmentValues.Left, wrap: true),
            Format(1, 0, InputFill, bordered: true, locked: false, HorizontalAlignmentValues.Right, wrap: false),
            Format(SignedFormatId, 0, InputFill, bordered: true, locked: false, HorizontalAlignmentValues.Right, wrap: false),
            Format(0, 0, InputFill, bordered: true, locked: false, HorizontalAlignmentValues.Right, wrap: false),
            Format(1, 0, ComputedFill, bordered: true, locked: false, HorizontalAlignmentValues.Right, wrap: false),
            Format(0, 2, ComputedFill, bordered: true, locked: true, HorizontalAlignmentValues.Right, wrap: false),
            Format(0, 0, NoFill, bordered: false, locked: true, HorizontalAlignmentValues.Left, wrap: true),
            Format(49, 0, InputFill, bordered: true, locked: false, HorizontalAlignmentValues.Left, wrap: false),
        ];
        var mismatch = new DifferentialFormat(
            new Font(new Color { Rgb = "FF9C0006" }),
            new Fill(new PatternFill(new BackgroundColor { Rgb = "FFFFC7CE" }) { PatternType = PatternValues.Solid }));
        return new Stylesheet(
            numberingFormats,
            fonts,
            fills,
            borders,
            new CellStyleFormats(new CellFormat()) { Count = 1 },
            new CellFormats(formats) { Count = (uint)formats.Length },
            new CellStyles(new CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }) { Count = 1 },
            new DifferentialFormats(mismatch) { Count = 1 });
    }

    private static Fill Solid(string argb) =>
        new(new PatternFill(new ForegroundColor { Rgb = argb }, new BackgroundColor { Indexed = 64 }) { PatternType = PatternValues.Solid });

    private static CellFormat Format(uint numberFormat, uint font, uint fill, bool bordered, bool locked, HorizontalAlignmentValues horizontal, bool wrap) =>
        new(
            new Alignment { Horizontal = horizontal, Vertical = VerticalAlignmentValues.Center, WrapText = wrap ? true : null },
            new Protection { Locked = locked })
        {
            NumberFormatId = numberFormat,
            FontId = font,
            FillId = fill,
            BorderId = bordered ? 1u : 0u,
            FormatId = 0,
            ApplyNumberFormat = numberFormat != 0,
            ApplyFont = font != 0,
            ApplyFill = fill != 0,
            ApplyBorder = bordered,
            ApplyAlignment = true,
            ApplyProtection = true,
        };
}

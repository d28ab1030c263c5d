using DocumentFormat.OpenXml.Spreadsheet;

namespace Aggregator.Reporting.Office;

/// <summary>The border list both workbooks use: index 0 none, index 1 a thin box, as the printed tables are ruled.</summary>
internal static class SpreadsheetBorders
{
    public static Borders NoneAndThinBox() => new(
        new Border(),
        new Border(
            new LeftBorder { Style = BorderStyleValues.Thin },
            new RightBorder { Style = BorderStyleValues.Thin },
            new TopBorder { Style = BorderStyleValues.Thin },
            new BottomBorder { Style = BorderStyleValues.Thin },
            new DiagonalBorder()))
    { Count = 2 };
}

using System.Globalization;

namespace Aggregator.Reporting.Workbooks;

/// <summary>A1-style references for zero-based rows and columns, and the sheet-qualified form defined names use.</summary>
internal static class CellReferences
{
    public static string Of(int row, int column) => Column(column) + (row + 1).ToString(CultureInfo.InvariantCulture);

    public static string Absolute(int row, int column) => $"${Column(column)}${(row + 1).ToString(CultureInfo.InvariantCulture)}";

    /// <summary><c>'三、收到和处理政府信息公开申请情况'!$D$7</c>: always quoted, so any sheet name works.</summary>
    public static string Qualified(string sheet, int row, int column) => $"{Quote(sheet)}!{Absolute(row, column)}";

    public static string Quote(string sheet) => "'" + sheet.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>Splits <c>'Sheet'!$D$7</c> (or <c>Sheet!D7</c>) into the sheet name and <c>D7</c>; false for anything else.</summary>
    public static bool TrySplit(string qualified, out string sheet, out string reference)
    {
        sheet = reference = string.Empty;
        var bang = qualified.LastIndexOf('!');
        if (bang <= 0 || bang == qualified.Length - 1)
        {
            return false;
        }

        var name = qualified[..bang].Trim();
        if (name.Length >= 2 && name[0] == '\'' && name[^1] == '\'')
        {
            name = name[1..^1].Replace("''", "'", StringComparison.Ordinal);
        }

        var cell = qualified[(bang + 1)..].Replace("$", string.Empty, StringComparison.Ordinal).Trim().ToUpperInvariant();
        var letters = 0;
        while (letters < cell.Length && char.IsAsciiLetterUpper(cell[letters]))
        {
            letters++;
        }

        if (letters == 0 || letters == cell.Length || !cell[letters..].All(char.IsAsciiDigit))
        {
            return false;
        }

        sheet = name;
        reference = cell;
        return true;
    }

    private static string Column(int column)
    {
        var letters = string.Empty;
        for (var c = column + 1; c > 0; c = (c - 1) / 26)
        {
            letters = (char)('A' + ((c - 1) % 26)) + letters;
        }

        return letters;
    }
}

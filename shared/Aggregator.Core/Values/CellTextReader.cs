using System.Globalization;
using System.Text;
using Aggregator.Core.Forms;

namespace Aggregator.Core.Values;

/// <summary>
/// Reads the text written in one cell: spaces of every kind, full-width digits and signs, thousands separators,
/// a unit after the number (converted to the cell's unit; money to 万元), and dashes or slashes meaning 0.
/// </summary>
internal static class CellTextReader
{
    private const string DashCharacters = "-－—–―‐‑‒−─━";

    public static CellReading ReadText(CellDefinition cell, string text, string? headerUnit)
    {
        var compact = WithoutSpaces(text);
        if (compact.Length == 0)
        {
            return CellReading.Blank;
        }

        if (IsDash(compact))
        {
            return CellReading.Dash();
        }

        var ascii = ToAscii(compact);
        var position = 0;
        var negative = false;
        if (ascii[0] is '+' or '-')
        {
            negative = ascii[0] == '-';
            position = 1;
        }

        var digits = new StringBuilder();
        var integerStart = position;
        var groupLength = 0;
        var sawSeparator = false;
        while (position < ascii.Length && (char.IsAsciiDigit(ascii[position]) || ascii[position] == ','))
        {
            if (ascii[position] == ',')
            {
                // A separator must follow 1–3 digits at first and exactly 3 afterwards, and be followed by 3 digits.
                if (position == integerStart || (sawSeparator ? groupLength != 3 : groupLength > 3))
                {
                    return Unreadable(cell, text, "千分位分隔符位置不对");
                }

                sawSeparator = true;
                groupLength = 0;
            }
            else
            {
                digits.Append(ascii[position]);
                groupLength++;
            }

            position++;
        }

        if (sawSeparator && groupLength != 3)
        {
            return Unreadable(cell, text, "千分位分隔符位置不对");
        }

        if (digits.Length == 0)
        {
            return Unreadable(cell, text, "没有数字");
        }

        if (position < ascii.Length && ascii[position] == '.')
        {
            var fractionStart = ++position;
            while (position < ascii.Length && char.IsAsciiDigit(ascii[position]))
            {
                position++;
            }

            if (position == fractionStart)
            {
                return Unreadable(cell, text, "小数点后没有数字");
            }

            digits.Append('.').Append(ascii, fractionStart, position - fractionStart);
        }

        var rest = ascii[position..];
        if (rest.Length > 0 && !UnitCatalog.IsKnown(rest))
        {
            return Unreadable(cell, text, $"含有无法识别的内容“{rest}”");
        }

        if (!decimal.TryParse(digits.ToString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return Unreadable(cell, text, "数值过大");
        }

        return Convert(cell, text, negative ? -value : value, rest.Length > 0 ? rest : null, headerUnit);
    }

    public static CellReading ReadNumber(CellDefinition cell, decimal value, string jsonText, string? headerUnit) =>
        Convert(cell, jsonText, value, null, headerUnit);

    private static CellReading Convert(CellDefinition cell, string text, decimal value, string? writtenUnit, string? headerUnit)
    {
        var factor = 1m;
        var unitAssumed = false;
        var unit = writtenUnit ?? headerUnit;
        if (cell.IsHeading)
        {
            // A heading carries no unit of its own (——) and is never summed: any unit is taken as written.
        }
        else if (unit is not null)
        {
            var fromHeader = writtenUnit is null;
            if (cell.IsMoney)
            {
                if (!UnitCatalog.TryGetMoneyFactor(unit, out factor))
                {
                    return WrongUnit(cell, text, unit, fromHeader);
                }
            }
            else if (cell.Unit is not null && unit != cell.Unit)
            {
                return WrongUnit(cell, text, unit, fromHeader);
            }
        }
        else if (cell.IsMoney && !cell.UnitPrinted)
        {
            unitAssumed = true;
        }

        var converted = value * factor;
        if (Math.Abs(converted) > FixedPoint.MaxCellMagnitude)
        {
            return Unreadable(cell, text, "数值过大");
        }

        return FixedPoint.TryFromDecimal(converted, out var scaled)
            ? CellReading.Value(scaled, unitAssumed)
            : Unreadable(cell, text, cell.IsMoney ? "小数位数过多（金额最多精确到分）" : "小数位数过多");
    }

    private static CellReading Unreadable(CellDefinition cell, string text, string reason) =>
        CellReading.FormatProblem($"“{cell.Label}”填写的“{text}”不是有效的数字：{reason}");

    private static CellReading WrongUnit(CellDefinition cell, string text, string unit, bool fromHeader)
    {
        var expected = cell.IsMoney ? "元或万元" : cell.Unit;
        return CellReading.UnitProblem(fromHeader
            ? $"“{cell.Label}”表头注明的单位“{unit}”与该栏单位“{expected}”不符"
            : $"“{cell.Label}”填写的“{text}”单位为“{unit}”，与该栏单位“{expected}”不符");
    }

    private static bool IsDash(string compact) =>
        compact is "/" or "／" or "\\" or "＼"
        || (compact.Length <= 3 && compact.All(c => DashCharacters.Contains(c, StringComparison.Ordinal)));

    private static string WithoutSpaces(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            // Word artefacts: zero-width spaces and byte-order marks come along with copied cells.
            if (!char.IsWhiteSpace(c) && c is not ('\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF'))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static string ToAscii(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (c is >= '\uFF01' and <= '\uFF5E')
            {
                chars[i] = (char)(c - 0xFEE0);
            }
            else if (c is '\u2212' or '\u2012' or '\u2013')
            {
                chars[i] = '-';
            }
            else if (c is '\u3002' && i > 0 && char.IsAsciiDigit(chars[i - 1]))
            {
                // An ideographic full stop between digits is a mistyped decimal point.
                chars[i] = '.';
            }
        }

        return new string(chars);
    }
}

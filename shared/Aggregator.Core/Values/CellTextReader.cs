using Aggregator.Core.Forms;

namespace Aggregator.Core.Values;

/// <summary>
/// Reads the text written in one cell: spaces of every kind, full-width digits and signs, thousands separators,
/// a unit after the number (converted to the cell's unit; money to 万元), and dashes or slashes meaning 0.
/// </summary>
internal static class CellTextReader
{
    private const string DashCharacters = "-－—–―‐‑‒−─━";

    private const ulong MaxWholeMantissa = 100_000_000_000UL * 1_000_000UL;

    private static readonly ulong[] PowersOfTen = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];

    public static CellReading ReadText(CellDefinition cell, string text, string? headerUnit)
    {
        // Cells are short; anything longer than this is not a number anyway and takes the slow, allocating path.
        Span<char> buffer = text.Length <= 128 ? stackalloc char[text.Length] : new char[text.Length];
        var length = Compact(text, buffer);
        ReadOnlySpan<char> compact = buffer[..length];
        if (length == 0)
        {
            return CellReading.Blank;
        }

        if (IsDash(compact))
        {
            return CellReading.Dash();
        }

        ToAscii(buffer[..length]);
        var position = 0;
        var negative = false;
        if (compact[0] is '+' or '-')
        {
            negative = compact[0] == '-';
            position = 1;
        }

        ulong mantissa = 0;
        var significantDigits = 0;
        var integerStart = position;
        var groupLength = 0;
        var sawSeparator = false;
        var sawDigit = false;
        while (position < length && (char.IsAsciiDigit(compact[position]) || compact[position] == ','))
        {
            if (compact[position] == ',')
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
                if (!Accumulate(ref mantissa, ref significantDigits, compact[position]))
                {
                    return TooLarge(cell, text);
                }

                sawDigit = true;
                groupLength++;
            }

            position++;
        }

        if (sawSeparator && groupLength != 3)
        {
            return Unreadable(cell, text, "千分位分隔符位置不对");
        }

        if (!sawDigit)
        {
            return Unreadable(cell, text, "没有数字");
        }

        byte decimals = 0;
        if (position < length && compact[position] == '.')
        {
            var fractionStart = ++position;
            while (position < length && char.IsAsciiDigit(compact[position]))
            {
                if (decimals == 28 || !Accumulate(ref mantissa, ref significantDigits, compact[position]))
                {
                    return Unreadable(cell, text, "小数位数过多");
                }

                decimals++;
                position++;
            }

            if (position == fractionStart)
            {
                return Unreadable(cell, text, "小数点后没有数字");
            }
        }

        string? unit = null;
        if (position < length)
        {
            unit = compact[position..].ToString();
            if (!UnitCatalog.IsKnown(unit))
            {
                return Unreadable(cell, text, $"含有无法识别的内容“{unit}”");
            }
        }

        if (unit is null && headerUnit is null && decimals <= 6 && mantissa <= MaxWholeMantissa / PowersOfTen[6 - decimals]
            && !(cell.IsMoney && !cell.UnitPrinted))
        {
            // The common case — a plain number in the cell's own unit — needs no decimal arithmetic.
            var scaled = (long)(mantissa * PowersOfTen[6 - decimals]);
            return CellReading.Value(negative ? -scaled : scaled, unitAssumed: false);
        }

        var value = new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), 0, negative, decimals);
        return Convert(cell, text, value, unit, headerUnit);
    }

    // Nineteen significant digits always fit in a ulong and are far beyond any real cell.
    private static bool Accumulate(ref ulong mantissa, ref int significantDigits, char digit)
    {
        if (mantissa == 0 && digit == '0')
        {
            return true;
        }

        if (++significantDigits > 19)
        {
            return false;
        }

        mantissa = (mantissa * 10) + (ulong)(digit - '0');
        return true;
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
            return TooLarge(cell, text);
        }

        return FixedPoint.TryFromDecimal(converted, out var scaled)
            ? CellReading.Value(scaled, unitAssumed)
            : Unreadable(cell, text, cell.IsMoney ? "小数位数过多（金额最多精确到分）" : "小数位数过多");
    }

    private static CellReading Unreadable(CellDefinition cell, string text, string reason) =>
        CellReading.FormatProblem($"“{cell.Label}”填写的“{text}”不是有效的数字：{reason}");

    private static CellReading TooLarge(CellDefinition cell, string text) =>
        CellReading.RangeProblem($"“{cell.Label}”填写的“{text}”不是有效的数字：数值过大");

    private static CellReading WrongUnit(CellDefinition cell, string text, string unit, bool fromHeader)
    {
        var expected = cell.IsMoney ? "元或万元" : cell.Unit;
        return CellReading.UnitProblem(fromHeader
            ? $"“{cell.Label}”表头注明的单位“{unit}”与该栏单位“{expected}”不符"
            : $"“{cell.Label}”填写的“{text}”单位为“{unit}”，与该栏单位“{expected}”不符");
    }

    private static bool IsDash(ReadOnlySpan<char> compact)
    {
        if (compact is "/" or "／" or "\\" or "＼")
        {
            return true;
        }

        if (compact.Length > 3)
        {
            return false;
        }

        foreach (var c in compact)
        {
            if (!DashCharacters.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static int Compact(string text, Span<char> buffer)
    {
        var length = 0;
        foreach (var c in text)
        {
            // Word artefacts: zero-width spaces and byte-order marks come along with copied cells.
            if (!char.IsWhiteSpace(c) && c is not ('\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF'))
            {
                buffer[length++] = c;
            }
        }

        return length;
    }

    private static void ToAscii(Span<char> chars)
    {
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
    }
}

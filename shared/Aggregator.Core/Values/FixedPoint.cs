using System.Globalization;

namespace Aggregator.Core.Values;

/// <summary>
/// Cell values held as integers in millionths of the cell's unit. Exact for counts and for money down to
/// 0.01 元 (= 0.000001 万元), and it lets the rule engine add plain longs on its hot path.
/// </summary>
internal static class FixedPoint
{
    public const long Scale = 1_000_000L;

    /// <summary>The largest magnitude accepted for one cell: far above any real figure, yet a sum of a
    /// rule's terms cannot overflow.</summary>
    public const decimal MaxCellMagnitude = 100_000_000_000m;

    /// <summary>The largest magnitude a (summed) value may have at all: what a long holds at this scale.</summary>
    public const decimal MaxTotalMagnitude = 9_000_000_000_000m;

    public static bool TryFromDecimal(decimal value, out long scaled)
    {
        scaled = 0;
        var multiplied = value * Scale;
        if (multiplied != decimal.Truncate(multiplied))
        {
            return false;
        }

        scaled = (long)multiplied;
        return true;
    }

    public static decimal ToDecimal(long scaled)
    {
        var negative = scaled < 0;
        var magnitude = negative ? (ulong)(-(scaled + 1)) + 1 : (ulong)scaled;
        byte decimals = 6;
        while (decimals > 0 && magnitude % 10 == 0)
        {
            magnitude /= 10;
            decimals--;
        }

        return new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), 0, negative, decimals);
    }

    public static string Format(long scaled) => ToDecimal(scaled).ToString(CultureInfo.InvariantCulture);

    public static bool IsWhole(long scaled) => scaled % Scale == 0;
}

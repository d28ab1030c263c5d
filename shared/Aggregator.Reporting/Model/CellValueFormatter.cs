using System.Globalization;
using Aggregator.Core.Forms;

namespace Aggregator.Reporting.Model;

/// <summary>Formats cell values the way the printed report shows them.</summary>
internal static class CellValueFormatter
{
    public const string MoneyUnit = "万元";

    /// <summary>
    /// Counts as integers, 本年增/减 with its sign, money with every decimal it has and 万元 unless the form prints
    /// the unit itself; a blank cell reads 0 (blank counts as 0 everywhere in the report), a heading reads nothing.
    /// </summary>
    public static string Format(CellDefinition cell, decimal? value)
    {
        if (cell.IsHeading)
        {
            return string.Empty;
        }

        var number = value ?? 0m;
        return cell.Type switch
        {
            CellType.Decimal => cell.UnitPrinted ? Money(number) : Money(number) + MoneyUnit,
            CellType.SignedInteger => number > 0 ? "+" + Count(number) : Count(number),
            _ => Count(number),
        };
    }

    /// <summary>Kind name a template can switch on.</summary>
    public static string KindOf(CellDefinition cell) => cell.Type switch
    {
        CellType.Decimal => "money",
        CellType.SignedInteger => "signed",
        _ => "count",
    };

    public static string Count(decimal number) =>
        decimal.Truncate(number) == number
            ? decimal.Truncate(number).ToString("0", CultureInfo.InvariantCulture)
            : number.ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>
    /// Money in 万元 exactly as summed: 0.00045 (4.5 元), 24252.311082, 25.1. Never rounded, because a total that
    /// is printed rounded no longer equals the sum of the units' printed amounts down to the 分.
    /// </summary>
    public static string Money(decimal number) => Normalize(number).ToString(CultureInfo.InvariantCulture);

    /// <summary>The same number without trailing zeros (7380.289590 → 7380.28959).</summary>
    public static decimal Normalize(decimal number) => number / 1.0000000000000000000000000000m;

    /// <summary>A share as printed everywhere: always one decimal place (33.9%, 50.0%, 6.0%).</summary>
    public static string? Share(decimal part, decimal whole) =>
        whole == 0m
            ? null
            : Math.Round(part * 100m / whole, 1, MidpointRounding.AwayFromZero).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}

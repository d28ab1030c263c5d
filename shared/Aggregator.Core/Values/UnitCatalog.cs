namespace Aggregator.Core.Values;

/// <summary>The units a unit may write inside a cell or a header, and what money units are worth in 万元.</summary>
internal static class UnitCatalog
{
    public const string TenThousandYuan = "万元";
    public const string HeadingUnit = "——";

    private static readonly HashSet<string> CountUnits = new(StringComparer.Ordinal)
    {
        "条", "件", "次", "篇", "个", "人", "人次", "项",
    };

    private static readonly Dictionary<string, decimal> MoneyUnitsInTenThousandYuan = new(StringComparer.Ordinal)
    {
        ["元"] = 0.0001m,
        ["千元"] = 0.1m,
        ["万元"] = 1m,
        ["亿元"] = 10_000m,
    };

    public static bool IsCountUnit(string unit) => CountUnits.Contains(unit);

    public static bool TryGetMoneyFactor(string unit, out decimal factor) =>
        MoneyUnitsInTenThousandYuan.TryGetValue(unit, out factor);

    public static bool IsKnown(string unit) => IsCountUnit(unit) || MoneyUnitsInTenThousandYuan.ContainsKey(unit);
}

namespace Aggregator.Core.Forms;

/// <summary>What kind of number a cell holds.</summary>
public enum CellType
{
    /// <summary>A non-negative count.</summary>
    Integer,

    /// <summary>A count that may be negative (本年增/减).</summary>
    SignedInteger,

    /// <summary>A non-negative money amount in 万元, possibly fractional.</summary>
    Decimal,
}

using Aggregator.Core.Values;

namespace Aggregator.Core.Summation;

/// <summary>
/// The sum of one cell over some units, in <see cref="RollupTotal"/>'s fixed-point arithmetic, so that a part of a
/// rollup (a district inside a city) adds up to the last digit the way the rollup itself did.
/// </summary>
public sealed class CellTotal
{
    private long _sum;

    /// <summary>Whether any value was given (an explicit 0 counts); a total of blanks only is blank.</summary>
    public bool IsPresent { get; private set; }

    /// <summary>How many summed units this total stands for (counted by the caller through <see cref="Count"/>).</summary>
    public int Units { get; private set; }

    /// <summary>The sum, or null when no value was given.</summary>
    public decimal? Value => IsPresent ? FixedPoint.ToDecimal(_sum) : null;

    /// <summary>Counts one more summed unit, whether or not it filled the cell.</summary>
    public void Count() => Units++;

    /// <exception cref="ArgumentException">The value has more than six decimals.</exception>
    /// <exception cref="OverflowException">The sum exceeds what a cell can hold.</exception>
    public void Add(decimal? value)
    {
        if (value is not { } number)
        {
            return;
        }

        if (!FixedPoint.TryFromDecimal(number, out var scaled))
        {
            throw new ArgumentException($"Value {number} has more than six decimals.", nameof(value));
        }

        _sum = checked(_sum + scaled);
        IsPresent = true;
    }

    /// <summary>Adds another part's total.</summary>
    public void Add(CellTotal other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.IsPresent)
        {
            _sum = checked(_sum + other._sum);
            IsPresent = true;
        }

        Units += other.Units;
    }
}

namespace Aggregator.Storage.Submissions;

/// <summary>
/// The decimal(21,6) contract shared by all three databases: six places, the core's own scale (millionths of a
/// 万元 is one 分), and fifteen integer digits, the range the four-place columns held before.
/// </summary>
public static class StoredDecimal
{
    public const int Precision = 21;

    public const int Scale = 6;

    private static readonly decimal Limit = 1_000_000_000_000_000m;

    /// <summary>The value as stored, unchanged: a value the column cannot hold exactly is refused, never rounded.</summary>
    /// <exception cref="ArgumentOutOfRangeException">More than six decimal places, or fifteen integer digits.</exception>
    public static decimal ForStorage(decimal value, string cellId)
    {
        var normalised = FromStorage(value);
        if (normalised.Scale > Scale)
        {
            throw new ArgumentOutOfRangeException(
                nameof(value), value, $"Cell '{cellId}' has more than {Scale} decimal places; decimal({Precision},{Scale}) cannot hold it exactly.");
        }

        return Math.Abs(normalised) < Limit
            ? normalised
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"Cell '{cellId}' exceeds decimal({Precision},{Scale}).");
    }

    public static decimal? ForStorage(decimal? value, string cellId) => value is { } number ? ForStorage(number, cellId) : null;

    /// <summary>Drops trailing zeros, so that 12 reads back as 12 whether the database returned 12, 12.000000 or "12".</summary>
    public static decimal FromStorage(decimal value) => value / 1.0000000000000000000000000000m;
}

namespace Aggregator.Storage.Submissions;

/// <summary>The decimal(19,4) contract shared by all three databases.</summary>
public static class StoredDecimal
{
    public const int Scale = 4;

    private static readonly decimal Limit = 1_000_000_000_000_000m;

    public static decimal ForStorage(decimal value, string cellId)
    {
        var rounded = Math.Round(value, Scale, MidpointRounding.AwayFromZero);
        return Math.Abs(rounded) < Limit
            ? rounded
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"Cell '{cellId}' exceeds decimal(19,4).");
    }

    public static decimal? ForStorage(decimal? value, string cellId) => value is { } number ? ForStorage(number, cellId) : null;

    /// <summary>Drops trailing zeros, so that 12 reads back as 12 whether the database returned 12, 12.0000 or "12".</summary>
    public static decimal FromStorage(decimal value) => value / 1.0000000000000000000000000000m;
}

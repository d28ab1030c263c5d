namespace Aggregator.Storage;

/// <summary>
/// Timestamps truncated to whole microseconds, the finest precision PostgreSQL keeps, so that a value read back
/// equals the value written on every provider.
/// </summary>
public sealed class StorageClock(TimeProvider timeProvider)
{
    public DateTimeOffset UtcNow() => Truncate(timeProvider.GetUtcNow());

    public static DateTimeOffset Truncate(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % (TimeSpan.TicksPerMillisecond / 1000)), TimeSpan.Zero);
    }
}

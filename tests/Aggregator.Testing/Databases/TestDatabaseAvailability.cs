namespace Aggregator.Testing.Databases;

/// <summary>Either a database, or the reason there is none here (printed when the test skips).</summary>
public sealed record TestDatabaseAvailability(TestDatabase? Database, string? SkipReason)
{
    public static TestDatabaseAvailability Available(TestDatabase database) => new(database, null);

    public static TestDatabaseAvailability Unavailable(string reason) => new(null, reason);

    /// <summary>The database, or skips the calling test with the reason.</summary>
    public TestDatabase Require()
    {
        if (Database is null)
        {
            Skips.Skip(SkipReason ?? "No database is available.");
        }

        return Database;
    }
}

using Microsoft.Extensions.Options;

namespace Aggregator.Storage.Maintenance;

/// <summary>The <c>Database:Cleanup</c> configuration section: what the scheduled cleanup removes, and how often.</summary>
public sealed class DatabaseCleanupOptions
{
    public const string SectionName = "Database:Cleanup";

    public bool Enabled { get; set; } = true;

    /// <summary>How often a cleanup pass runs; the first runs one interval after start-up.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a published outbox row is kept, to trace a delivery back to its row; pending and dead rows are never removed.</summary>
    public TimeSpan PublishedOutboxRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long an <c>Idempotency-Key</c> is remembered; a retry later than this is a new request.</summary>
    public TimeSpan IdempotencyKeyRetention { get; set; } = TimeSpan.FromHours(24);
}

public sealed class DatabaseCleanupOptionsValidator : IValidateOptions<DatabaseCleanupOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseCleanupOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Interval <= TimeSpan.Zero)
            failures.Add("Database:Cleanup:Interval must be positive.");
        if (options.PublishedOutboxRetention <= TimeSpan.Zero)
            failures.Add("Database:Cleanup:PublishedOutboxRetention must be positive.");
        // A key forgotten sooner than a client's retries would let a retried submission be stored twice.
        if (options.IdempotencyKeyRetention < TimeSpan.FromHours(1))
            failures.Add("Database:Cleanup:IdempotencyKeyRetention must be at least one hour.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

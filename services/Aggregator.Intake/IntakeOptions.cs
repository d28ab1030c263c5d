namespace Aggregator.Intake;

/// <summary>The <c>Intake</c> configuration section: limits on what one request may ask of the API.</summary>
public sealed class IntakeOptions
{
    public const string SectionName = "Intake";

    /// <summary>Largest request body accepted; a submission of the largest format is about 30 KiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Largest body of an endpoint that takes many units' files at once (the office's batch zip): a district's Word
    /// reports with their images run to tens of megabytes. The zip's inflated size has its own limits.
    /// </summary>
    public long MaxBatchBodyBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>Deepest JSON nesting accepted; a submission document is three levels deep.</summary>
    public int MaxJsonDepth { get; set; } = 16;

    /// <summary>Most units one <c>POST /units</c> may register.</summary>
    public int MaxUnitsPerBatch { get; set; } = 5000;

    /// <summary>
    /// How long an <c>Idempotency-Key</c> reserved by a request that never finished (its process stopped) blocks the
    /// key; after that a retry takes the key over. Keep it well above the slowest request.
    /// </summary>
    public TimeSpan IdempotencyReservationTimeout { get; set; } = TimeSpan.FromMinutes(2);

    public RateLimitOptions RateLimit { get; set; } = new();
}

/// <summary>The <c>Intake:RateLimit</c> section: a fixed window per API key (per client address without a key).</summary>
public sealed class RateLimitOptions
{
    public int PermitLimit { get; set; } = 600;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>The <c>Auth</c> configuration section.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>
    /// An admin key (<c>agk_…</c>) chosen by the operator, stored hashed at start-up if it is not stored yet: the first
    /// key of an all-in-one or test host. Leave unset in production and issue keys with <c>aggregator keys issue</c>.
    /// </summary>
    public string? BootstrapAdminKey { get; set; }
}

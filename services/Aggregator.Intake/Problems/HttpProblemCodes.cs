namespace Aggregator.Intake.Problems;

/// <summary>
/// Problem codes of the HTTP contract that only the web layer produces; the use cases' codes are in
/// <c>Aggregator.Application.Results.ProblemCodes</c>. Extend, never rename.
/// </summary>
public static class HttpProblemCodes
{
    public const string Unauthenticated = "unauthenticated";
    public const string Forbidden = "forbidden";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string InvalidUtf8 = "invalid_utf8";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    public const string RateLimited = "rate_limited";
    public const string ServiceUnavailable = "service_unavailable";
    public const string DatabaseUnavailable = "database_unavailable";
    public const string InternalError = "internal_error";
}

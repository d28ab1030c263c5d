using Aggregator.Application.Security;
using Microsoft.Extensions.Options;

namespace Aggregator.Intake;

/// <summary>Refuses an <c>Intake</c> section the API could not run with, naming the setting at fault.</summary>
public sealed class IntakeOptionsValidator : IValidateOptions<IntakeOptions>
{
    public ValidateOptionsResult Validate(string? name, IntakeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxRequestBodyBytes < 1)
            failures.Add("Intake:MaxRequestBodyBytes must be at least 1.");
        if (options.MaxBatchBodyBytes < options.MaxRequestBodyBytes)
            failures.Add("Intake:MaxBatchBodyBytes must be at least Intake:MaxRequestBodyBytes.");
        if (options.MaxJsonDepth < 1)
            failures.Add("Intake:MaxJsonDepth must be at least 1.");
        if (options.MaxUnitsPerBatch < 1)
            failures.Add("Intake:MaxUnitsPerBatch must be at least 1.");
        if (options.IdempotencyReservationTimeout <= TimeSpan.Zero)
            failures.Add("Intake:IdempotencyReservationTimeout must be positive.");
        if (options.RateLimit.PermitLimit < 1)
            failures.Add("Intake:RateLimit:PermitLimit must be at least 1.");
        if (options.RateLimit.Window <= TimeSpan.Zero)
            failures.Add("Intake:RateLimit:Window must be positive.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Refuses an <c>Auth</c> section whose bootstrap key could never authenticate.</summary>
public sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrEmpty(options.BootstrapAdminKey) || ApiKeyText.TryParse(options.BootstrapAdminKey, out _)
            ? ValidateOptionsResult.Success
            // The message must not quote the configured value: it is a secret even when malformed.
            : ValidateOptionsResult.Fail(
                $"Auth:BootstrapAdminKey is not an API key of the form {ApiKeyText.Scheme}_<{ApiKeyText.PrefixLength} lower-case letters or digits>_<letters or digits>.");
    }
}

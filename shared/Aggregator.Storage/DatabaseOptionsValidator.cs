using Microsoft.Extensions.Options;

namespace Aggregator.Storage;

/// <summary>Refuses a <c>Database</c> section the host could not run with, naming the setting at fault.</summary>
public sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        try
        {
            DatabaseProviders.Parse(options.Provider);
        }
        catch (InvalidOperationException)
        {
            failures.Add($"Database:Provider must be one of sqlite, postgres, sqlserver (it is '{options.Provider}').");
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            failures.Add("Database:ConnectionString is required.");
        if (options.StartupRetries < 0)
            failures.Add("Database:StartupRetries must be zero or more.");
        if (options.StartupRetryDelay < TimeSpan.Zero)
            failures.Add("Database:StartupRetryDelay must not be negative.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

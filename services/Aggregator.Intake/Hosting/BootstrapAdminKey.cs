using Aggregator.Application.Security;
using Aggregator.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aggregator.Intake.Hosting;

/// <summary>
/// Stores <c>Auth:BootstrapAdminKey</c> (hashed) at start-up when it is set and not stored yet, so that an all-in-one
/// or test host has a first admin key without the CLI. Runs after the database migration.
/// </summary>
internal sealed class BootstrapAdminKey(IOptions<AuthOptions> options, ApiKeyRegistry registry, ILogger<BootstrapAdminKey> logger) : IHostedService
{
    public const string Label = "bootstrap admin key (Auth:BootstrapAdminKey)";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.BootstrapAdminKey is not { Length: > 0 } key)
        {
            return;
        }

        if (!ApiKeyText.TryParse(key, out var prefix))
        {
            // The message must not quote the configured value: it is a secret even when malformed.
            throw new InvalidOperationException(
                $"Auth:BootstrapAdminKey is not an API key of the form {ApiKeyText.Scheme}_<{ApiKeyText.PrefixLength} lower-case letters or digits>_<letters or digits>.");
        }

        if (await registry.RegisterAsync(key, new NewApiKey(ApiKeyRole.Admin, null, Label), Actor.System, cancellationToken))
        {
            logger.LogInformation("Stored the bootstrap admin key with prefix {Prefix}", prefix);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

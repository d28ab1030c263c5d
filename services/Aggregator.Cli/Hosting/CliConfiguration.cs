using Microsoft.Extensions.Configuration;

namespace Aggregator.Cli.Hosting;

/// <summary>The CLI's configuration: appsettings.json in the working directory, then environment variables (<c>Database__Provider</c> …).</summary>
public static class CliConfiguration
{
    public static IConfigurationRoot Build() => new ConfigurationBuilder()
        .SetBasePath(Directory.GetCurrentDirectory())
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .Build();
}

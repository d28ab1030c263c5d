using DotNet.Testcontainers.Configurations;
using Testcontainers.RabbitMq;

namespace Aggregator.Testing.Brokers;

/// <summary>
/// The one RabbitMQ server this test process uses: the broker named by <c>AGGREGATOR_TEST_RABBITMQ</c>, else a
/// Testcontainers broker started once for the process, else, with neither configured nor Docker, none (tests then
/// skip with the reason). A configured broker that is down, or a container that does not start, fails the test.
/// </summary>
internal sealed record RabbitMqServer(Uri AmqpUri, Uri ManagementUri, string UserName, string Password)
{
    public const string UriVariable = "AGGREGATOR_TEST_RABBITMQ";
    public const string ManagementUriVariable = "AGGREGATOR_TEST_RABBITMQ_MANAGEMENT";
    public const string ContainerImage = "rabbitmq:3.13-management";
    private const int ManagementPort = 15672;

    private static readonly Lazy<Task<(RabbitMqServer? Server, string? SkipReason)>> Instance = new(LocateAsync);

    /// <summary>The server, or a skipped test when there is none.</summary>
    public static async Task<RabbitMqServer> GetAsync()
    {
        var (server, skipReason) = await Instance.Value;
        if (server is null)
            Skips.Skip(skipReason ?? "No RabbitMQ broker is available.");
        return server;
    }

    private static async Task<(RabbitMqServer?, string?)> LocateAsync()
    {
        var configured = Environment.GetEnvironmentVariable(UriVariable);
        if (!string.IsNullOrWhiteSpace(configured))
            return (Configured(new Uri(configured), Environment.GetEnvironmentVariable(ManagementUriVariable)), null);

        if (TestcontainersSettings.OS.DockerEndpointAuthConfig is null)
        {
            return (null, $"No RabbitMQ broker: {UriVariable} is not set and no Docker engine is available for Testcontainers " +
                          "(run build/services.sh and source build/.services.env).");
        }

        var container = new RabbitMqBuilder(ContainerImage).WithPortBinding(ManagementPort, true).Build();
        await container.StartAsync();
        var amqp = new Uri(container.GetConnectionString());
        var management = new UriBuilder("http", container.Hostname, container.GetMappedPublicPort(ManagementPort)).Uri;
        var (user, password) = Credentials(amqp);
        return (new RabbitMqServer(amqp, management, user, password), null);
    }

    public static RabbitMqServer Configured(Uri amqp, string? managementSetting)
    {
        var management = string.IsNullOrWhiteSpace(managementSetting)
            ? new UriBuilder("http", amqp.Host, ManagementPort).Uri
            : new Uri(managementSetting);
        var (user, password) = Credentials(amqp);
        return new RabbitMqServer(amqp, management, user, password);
    }

    private static (string User, string Password) Credentials(Uri amqp)
    {
        var parts = amqp.UserInfo.Split(':', 2);
        return parts.Length == 2 && parts[0].Length > 0
            ? (Uri.UnescapeDataString(parts[0]), Uri.UnescapeDataString(parts[1]))
            : ("guest", "guest");
    }
}

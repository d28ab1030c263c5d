using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Aggregator.Testing.Brokers;

/// <summary>
/// A RabbitMQ virtual host of its own for one test, so that no test sees another's exchanges, queues or messages;
/// deleted with everything in it on dispose. Reads queues through the management HTTP API.
/// </summary>
public sealed class TestBroker : IAsyncDisposable
{
    private readonly HttpClient management;
    private readonly RabbitMqServer server;

    private TestBroker(RabbitMqServer server, string virtualHost)
    {
        this.server = server;
        VirtualHost = virtualHost;
        UserName = virtualHost;
        Password = $"pw-{Guid.NewGuid():N}";
        management = new HttpClient { BaseAddress = server.ManagementUri, Timeout = TimeSpan.FromSeconds(30) };
        management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{server.UserName}:{server.Password}")));
    }

    public string VirtualHost { get; }

    /// <summary>A user of this test's own, so that a test can look for its password in logs and errors.</summary>
    public string UserName { get; }

    public string Password { get; }

    public string Host => server.AmqpUri.Host;

    public int Port => server.AmqpUri.Port;

    /// <summary><c>amqp://user:password@host:port/vhost</c> for this test's virtual host and user.</summary>
    public Uri Uri => new UriBuilder(server.AmqpUri)
    {
        UserName = UserName,
        Password = Password,
        Path = "/" + Uri.EscapeDataString(VirtualHost),
    }.Uri;

    /// <summary>
    /// Creates a fresh virtual host; skips the test when no broker is configured and Docker is absent, and throws
    /// when the configured broker cannot be reached.
    /// </summary>
    public static async Task<TestBroker> CreateAsync(CancellationToken cancellationToken = default) =>
        await CreateAsync(await RabbitMqServer.GetAsync(), cancellationToken);

    /// <summary>Creates a fresh virtual host on the broker at <paramref name="amqp"/> (management API at <paramref name="management"/>).</summary>
    public static Task<TestBroker> CreateAsync(Uri amqp, Uri management, CancellationToken cancellationToken = default) =>
        CreateAsync(RabbitMqServer.Configured(amqp, management.ToString()), cancellationToken);

    private static async Task<TestBroker> CreateAsync(RabbitMqServer server, CancellationToken cancellationToken)
    {
        var broker = new TestBroker(server, $"aggregator-test-{Guid.NewGuid():N}");
        try
        {
            await broker.CreateVirtualHostAsync(cancellationToken);
            return broker;
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
    }

    /// <summary>The configuration keys that point <c>AddAggregatorMessaging</c> at this virtual host.</summary>
    public IReadOnlyDictionary<string, string?> MessagingSettings() => new Dictionary<string, string?>
    {
        ["Messaging:Transport"] = "rabbitmq",
        ["Messaging:RabbitMq:Uri"] = Uri.ToString(),
    };

    /// <summary>The queue as the broker declares it, or null when it does not exist.</summary>
    public async Task<BrokerQueue?> GetQueueAsync(string queue, CancellationToken cancellationToken = default)
    {
        using var response = await management.GetAsync(QueuePath(queue), cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
            return null;
        await EnsureSuccessAsync(response, cancellationToken);

        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var root = document.RootElement;
        return new BrokerQueue(
            root.GetProperty("name").GetString()!,
            root.GetProperty("durable").GetBoolean(),
            root.TryGetProperty("type", out var type) ? type.GetString()! : "classic");
    }

    /// <summary>The names of every queue in this virtual host.</summary>
    public async Task<IReadOnlyList<string>> ListQueuesAsync(CancellationToken cancellationToken = default)
    {
        using var response = await management.GetAsync($"api/queues/{Escape(VirtualHost)}?columns=name", cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return [.. document.RootElement.EnumerateArray().Select(queue => queue.GetProperty("name").GetString()!)];
    }

    /// <summary>The prefetch count of every consumer attached to <paramref name="queue"/>.</summary>
    public async Task<IReadOnlyList<int>> GetConsumerPrefetchCountsAsync(string queue, CancellationToken cancellationToken = default)
    {
        using var response = await management.GetAsync($"api/consumers/{Escape(VirtualHost)}", cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return [.. document.RootElement.EnumerateArray()
            .Where(consumer => consumer.GetProperty("queue").GetProperty("name").GetString() == queue)
            .Select(consumer => consumer.GetProperty("prefetch_count").GetInt32())];
    }

    /// <summary>
    /// Up to <paramref name="max"/> messages of the queue, left in it (fetched and requeued), so the count is
    /// exact at this moment, unlike the management API's sampled queue statistics.
    /// </summary>
    public async Task<IReadOnlyList<BrokerMessage>> PeekMessagesAsync(string queue, int max = 100, CancellationToken cancellationToken = default)
    {
        using var response = await management.PostAsJsonAsync(
            QueuePath(queue) + "/get",
            new { count = max, ackmode = "ack_requeue_true", encoding = "auto", truncate = 50_000 },
            cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);

        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return [.. document.RootElement.EnumerateArray().Select(ToBrokerMessage)];
    }

    /// <summary>
    /// Messages published into this virtual host and delivered from it so far, from the management API's message
    /// statistics (sampled: they lag by up to the broker's statistics interval, five seconds by default).
    /// </summary>
    public async Task<BrokerMessageTotals> GetMessageTotalsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await management.GetAsync($"api/vhosts/{Escape(VirtualHost)}", cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        if (!document.RootElement.TryGetProperty("message_stats", out var stats) || stats.ValueKind != JsonValueKind.Object)
            return new BrokerMessageTotals(0, 0);
        return new BrokerMessageTotals(Counter(stats, "publish"), Counter(stats, "deliver_get"));

        static long Counter(JsonElement stats, string name) =>
            stats.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var vhostDeleted = await management.DeleteAsync($"api/vhosts/{Escape(VirtualHost)}");
            using var userDeleted = await management.DeleteAsync($"api/users/{Escape(UserName)}");
        }
        catch (HttpRequestException)
        {
            // A virtual host left behind holds only this test's queues; it must not fail the test.
        }

        management.Dispose();
    }

    private async Task CreateVirtualHostAsync(CancellationToken cancellationToken)
    {
        try
        {
            using (var created = await management.PutAsJsonAsync($"api/vhosts/{Escape(VirtualHost)}", new { }, cancellationToken))
                await EnsureSuccessAsync(created, cancellationToken);

            using (var user = await management.PutAsJsonAsync(
                       $"api/users/{Escape(UserName)}", new { password = Password, tags = "management" }, cancellationToken))
                await EnsureSuccessAsync(user, cancellationToken);

            var permissions = new { configure = ".*", write = ".*", read = ".*" };
            foreach (var user in new[] { UserName, server.UserName })
            {
                using var granted = await management.PutAsJsonAsync(
                    $"api/permissions/{Escape(VirtualHost)}/{Escape(user)}", permissions, cancellationToken);
                await EnsureSuccessAsync(granted, cancellationToken);
            }
        }
        catch (HttpRequestException exception)
        {
            throw new InvalidOperationException(
                $"Cannot create a RabbitMQ virtual host through the management API at {server.ManagementUri} " +
                $"(enable the rabbitmq_management plugin or set {RabbitMqServer.ManagementUriVariable}): {exception.Message}",
                exception);
        }
    }

    private string QueuePath(string queue) => $"api/queues/{Escape(VirtualHost)}/{Escape(queue)}";

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
            return;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new HttpRequestException(
            $"RabbitMQ management API {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
    }

    private static BrokerMessage ToBrokerMessage(JsonElement message)
    {
        var properties = message.GetProperty("properties");
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty("headers", out var headerObject))
        {
            foreach (var header in headerObject.EnumerateObject())
            {
                headers[header.Name] = header.Value.ValueKind == JsonValueKind.String
                    ? header.Value.GetString()!
                    : header.Value.GetRawText();
            }
        }

        var deliveryMode = properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty("delivery_mode", out var mode)
            ? mode.GetInt32()
            : 0;
        return new BrokerMessage(message.GetProperty("payload").GetString() ?? string.Empty, headers, deliveryMode);
    }
}

/// <summary>Message counters of a virtual host: <paramref name="Published"/> into it, <paramref name="Delivered"/> to consumers (and basic.get).</summary>
public sealed record BrokerMessageTotals(long Published, long Delivered);

/// <summary>A queue's declaration: <paramref name="Type"/> is <c>classic</c> or <c>quorum</c>.</summary>
public sealed record BrokerQueue(string Name, bool Durable, string Type);

/// <summary>A message read from a queue; <paramref name="DeliveryMode"/> 2 means persistent.</summary>
public sealed record BrokerMessage(string Payload, IReadOnlyDictionary<string, string> Headers, int DeliveryMode)
{
    public string? Header(string name) => Headers.GetValueOrDefault(name);

    public int? IntHeader(string name) =>
        Headers.TryGetValue(name, out var value) && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;
}

using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aggregator.Application.Operations;
using Aggregator.Messaging.RabbitMq;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Aggregator.Messaging.Operations;

/// <summary>
/// RabbitMQ for ops: queue statistics and error-queue peeks through the management HTTP API, and redrive over AMQP
/// (the shovel plugin need not be enabled): each message is fetched with manual acknowledgement, published to its
/// queue with a publisher confirmation, and only then acknowledged.
/// </summary>
internal sealed class RabbitMqBrokerOperations : IBrokerOperations, IDisposable
{
    private const ushort ManagementPort = 15672;
    private const ushort ManagementTlsPort = 15671;

    private readonly RabbitMqBrokerAddress broker;
    private readonly RabbitMqOptions options;
    private readonly HttpClient management;

    public RabbitMqBrokerOperations(RabbitMqBrokerAddress broker, RabbitMqOptions options)
    {
        this.broker = broker;
        this.options = options;
        var (baseAddress, userName, password) = ManagementAddress(broker, options.ManagementUri);
        management = new HttpClient { BaseAddress = baseAddress, Timeout = options.ConnectTimeout + TimeSpan.FromSeconds(20) };
        management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{userName}:{password}")));
    }

    public string Transport => "rabbitmq";

    public bool HasQueues => true;

    public async Task<IReadOnlyList<QueueStatus>> ListQueuesAsync(CancellationToken cancellationToken)
    {
        using var document = await GetJsonAsync(HttpMethod.Get, $"api/queues/{Escape(broker.VirtualHost)}", null, cancellationToken)
            ?? throw new BrokerUnavailableException($"The virtual host '{broker.VirtualHost}' does not exist.");
        return [.. document.RootElement.EnumerateArray().Select(queue => new QueueStatus(
            queue.GetProperty("name").GetString()!,
            Long(queue, "messages_ready"),
            Long(queue, "messages_unacknowledged"),
            (int)Long(queue, "consumers"),
            Rate(queue, "publish_details"),
            Rate(queue, "deliver_get_details")))];
    }

    public async Task<IReadOnlyList<FailedMessage>?> PeekAsync(string errorQueue, int max, CancellationToken cancellationToken)
    {
        // reject_requeue_true puts every message back where it was: a peek loses nothing.
        var body = new { count = max, ackmode = "reject_requeue_true", encoding = "auto", truncate = 1_000_000 };
        using var document = await GetJsonAsync(HttpMethod.Post, $"{QueuePath(errorQueue)}/get", body, cancellationToken);
        return document is null ? null : [.. document.RootElement.EnumerateArray().Select(ToFailedMessage)];
    }

    public async Task<RedriveOutcome> RedriveAsync(
        string errorQueue, string sourceQueue, RedriveSelection selection, CancellationToken cancellationToken)
    {
        try
        {
            return await MoveAsync(errorQueue, sourceQueue, selection, cancellationToken);
        }
        catch (BrokerUnreachableException exception)
        {
            throw new BrokerUnavailableException($"Cannot connect to RabbitMQ at {broker}.", exception);
        }
        catch (OperationInterruptedException exception)
        {
            throw new BrokerUnavailableException($"RabbitMQ at {broker} refused the redrive: {exception.ShutdownReason?.ReplyText}", exception);
        }
    }

    public void Dispose() => management.Dispose();

    private async Task<RedriveOutcome> MoveAsync(
        string errorQueue, string sourceQueue, RedriveSelection selection, CancellationToken cancellationToken)
    {
        var factory = RabbitMqHandshake.CreateFactory(broker, options, $"aggregator-ops-{Environment.MachineName}");

        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            cancellationToken);

        // Both must exist: a message published to a missing queue would be dropped by the default exchange.
        await channel.QueueDeclarePassiveAsync(sourceQueue, cancellationToken);
        var waiting = (await channel.QueueDeclarePassiveAsync(errorQueue, cancellationToken)).MessageCount;

        var moved = new List<string>();
        var skipped = new List<ulong>();
        try
        {
            // Messages left alone stay unacknowledged until the end, so each fetch returns the next one and none is seen twice.
            for (var fetched = 0u; fetched < waiting; fetched++)
            {
                var message = await channel.BasicGetAsync(errorQueue, autoAck: false, cancellationToken);
                if (message is null)
                    break;

                var messageId = message.BasicProperties.MessageId ?? MessageIdOf(message.Body.Span);
                if (!selection.Includes(messageId))
                {
                    skipped.Add(message.DeliveryTag);
                    continue;
                }

                var properties = new BasicProperties(message.BasicProperties);
                if (properties.Headers is { } headers)
                {
                    // A fault after the redrive records its own reason, not this one's.
                    foreach (var key in headers.Keys.Where(key => key.StartsWith("MT-Fault-", StringComparison.Ordinal) || key == "MT-Reason").ToList())
                        headers.Remove(key);
                }

                await channel.BasicPublishAsync(string.Empty, sourceQueue, mandatory: true, properties, message.Body, cancellationToken);
                await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
                moved.Add(messageId ?? string.Empty);
            }
        }
        finally
        {
            foreach (var tag in skipped)
                await channel.BasicNackAsync(tag, multiple: false, requeue: true, CancellationToken.None);
        }

        var notFound = selection.All ? [] : selection.MessageIds.Except(moved, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new RedriveOutcome(errorQueue, sourceQueue, moved, notFound);
    }

    private async Task<JsonDocument?> GetJsonAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = JsonContent.Create(body);
        try
        {
            using var response = await management.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
                return null;
            if (!response.IsSuccessStatusCode)
            {
                throw new BrokerUnavailableException(
                    $"The RabbitMQ management API at {management.BaseAddress} answered {(int)response.StatusCode} to {method} {path}.");
            }

            return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new BrokerUnavailableException($"Cannot reach the RabbitMQ management API at {management.BaseAddress}.", exception);
        }
        catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BrokerUnavailableException($"The RabbitMQ management API at {management.BaseAddress} did not answer in time.", exception);
        }
    }

    internal static (Uri BaseAddress, string UserName, string Password) ManagementAddress(RabbitMqBrokerAddress broker, Uri? configured)
    {
        if (configured is null)
        {
            var builder = new UriBuilder(broker.UseTls ? "https" : "http", broker.Host, broker.UseTls ? ManagementTlsPort : ManagementPort, "/");
            return (builder.Uri, broker.UserName, broker.Password);
        }

        var withoutCredentials = new UriBuilder(configured) { UserName = string.Empty, Password = string.Empty };
        if (!withoutCredentials.Path.EndsWith('/'))
            withoutCredentials.Path += "/";
        if (string.IsNullOrEmpty(configured.UserInfo))
            return (withoutCredentials.Uri, broker.UserName, broker.Password);

        var separator = configured.UserInfo.IndexOf(':', StringComparison.Ordinal);
        return separator < 0
            ? (withoutCredentials.Uri, Uri.UnescapeDataString(configured.UserInfo), string.Empty)
            : (withoutCredentials.Uri, Uri.UnescapeDataString(configured.UserInfo[..separator]), Uri.UnescapeDataString(configured.UserInfo[(separator + 1)..]));
    }

    private string QueuePath(string queue) => $"api/queues/{Escape(broker.VirtualHost)}/{Escape(queue)}";

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static long Long(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    private static double Rate(JsonElement queue, string details) =>
        queue.TryGetProperty("message_stats", out var stats) && stats.ValueKind == JsonValueKind.Object
        && stats.TryGetProperty(details, out var detail) && detail.TryGetProperty("rate", out var rate) && rate.ValueKind == JsonValueKind.Number
            ? rate.GetDouble()
            : 0;

    private static FailedMessage ToFailedMessage(JsonElement message)
    {
        var properties = message.GetProperty("properties");
        var headers = properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty("headers", out var found) ? found : default;
        var payload = message.GetProperty("payload").GetString() ?? string.Empty;
        var body = ParseBody(message.TryGetProperty("payload_encoding", out var encoding) && encoding.GetString() == "base64"
            ? Encoding.UTF8.GetString(Convert.FromBase64String(payload))
            : payload);

        var messageId = properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty("message_id", out var id)
            ? id.GetString()
            : String(body, "messageId");
        var inner = body is { } envelope && envelope.TryGetProperty("message", out var content) && content.ValueKind == JsonValueKind.Object
            ? content
            : (JsonElement?)null;
        var types = body is { } typed && typed.TryGetProperty("messageType", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(type => type.GetString() ?? string.Empty).ToList()
            : [];

        return new FailedMessage(
            messageId,
            types,
            String(headers, "MT-Fault-ExceptionType"),
            String(headers, "MT-Fault-Message"),
            DateTimeOffset.TryParse(String(headers, "MT-Fault-Timestamp"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null,
            Guid.TryParse(String(inner, "submissionId"), out var submission) ? submission : null,
            Guid.TryParse(String(inner, "rollupId"), out var rollup) ? rollup : null);
    }

    private static JsonElement? ParseBody(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? MessageIdOf(ReadOnlySpan<byte> body) => String(ParseBody(Encoding.UTF8.GetString(body)), "messageId");

    private static string? String(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty(name, out var member)
            ? member.ValueKind == JsonValueKind.String ? member.GetString() : member.GetRawText()
            : null;
}

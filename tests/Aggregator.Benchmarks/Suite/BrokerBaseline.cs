using System.Diagnostics;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Aggregator.Benchmarks.Suite;

/// <summary>
/// What the broker alone moves: raw RabbitMQ.Client, one durable queue, persistent messages published with
/// publisher confirms on one channel and consumed with manual acknowledgements on another, at once.
/// </summary>
public static class BrokerBaseline
{
    // About the size of a MassTransit envelope of this system's messages (ids, headers, JSON body).
    private const int BodyBytes = 1024;
    private const int ConfirmWindow = 256;
    private const ushort Prefetch = 256;

    /// <summary>Messages per second from the first publish to the last acknowledgement.</summary>
    public static async Task<double> MessagesPerSecondAsync(Uri virtualHost, int messages, CancellationToken ct)
    {
        var factory = new ConnectionFactory { Uri = virtualHost, ClientProvidedName = "aggregator-bench-baseline" };
        await using var connection = await factory.CreateConnectionAsync(ct);
        await using var publisher = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
        await using var consumer = await connection.CreateChannelAsync(cancellationToken: ct);
        var queue = $"bench-baseline-{Guid.NewGuid():N}";
        await publisher.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: ct);
        try
        {
            await consumer.BasicQosAsync(0, Prefetch, global: false, ct);
            var received = 0;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var handler = new AsyncEventingBasicConsumer(consumer);
            handler.ReceivedAsync += async (_, delivery) =>
            {
                await consumer.BasicAckAsync(delivery.DeliveryTag, multiple: false, ct);
                if (Interlocked.Increment(ref received) == messages)
                {
                    done.TrySetResult();
                }
            };
            await consumer.BasicConsumeAsync(queue, autoAck: false, handler, ct);

            var body = new byte[BodyBytes];
            Random.Shared.NextBytes(body);
            var properties = new BasicProperties { Persistent = true, ContentType = "application/json" };
            var stopwatch = Stopwatch.StartNew();
            var window = new List<Task>(ConfirmWindow);
            for (var i = 0; i < messages; i++)
            {
                window.Add(publisher.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, body, ct).AsTask());
                if (window.Count == ConfirmWindow)
                {
                    await Task.WhenAll(window);
                    window.Clear();
                }
            }

            await Task.WhenAll(window);
            await done.Task.WaitAsync(TimeSpan.FromMinutes(2), ct);
            return messages / stopwatch.Elapsed.TotalSeconds;
        }
        finally
        {
            await publisher.QueueDeleteAsync(queue, cancellationToken: CancellationToken.None);
        }
    }
}

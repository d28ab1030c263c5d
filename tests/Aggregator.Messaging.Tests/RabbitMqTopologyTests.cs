using Aggregator.Messaging.Tests.Support;
using Aggregator.Testing.Brokers;
using Aggregator.Testing.Waiting;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aggregator.Messaging.Tests;

public sealed class RabbitMqTopologyTests
{
    private const string Queue = "aggregator-record-submission";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_message_published_while_no_consumer_runs_waits_in_a_durable_queue_until_the_consumer_starts()
    {
        await using var broker = await TestBroker.CreateAsync(Cancellation);

        // The worker ran once, so its queue and binding exist, then stopped.
        using (var firstRun = MessagingHosts.Build(broker.MessagingSettings(), bus => bus.AddConsumer<RecordSubmissionConsumer>()))
        {
            await firstRun.StartAsync(Cancellation);
            await firstRun.StopAsync(Cancellation);
        }

        var message = Submissions.New();
        using (var publisher = MessagingHosts.Build(broker.MessagingSettings(), _ => { }))
        {
            await publisher.StartAsync(Cancellation);
            await publisher.Services.GetRequiredService<IBus>().Publish(message, Cancellation);
            await publisher.StopAsync(Cancellation);
        }

        var queue = await broker.GetQueueAsync(Queue, Cancellation);
        var waiting = await broker.PeekMessagesAsync(Queue, cancellationToken: Cancellation);
        Assert.NotNull(queue);
        Assert.True(queue.Durable, "the queue must survive a broker restart");
        var stored = Assert.Single(waiting);
        Assert.Equal(2, stored.DeliveryMode);

        using var worker = MessagingHosts.Build(broker.MessagingSettings(), bus => bus.AddConsumer<RecordSubmissionConsumer>());
        await worker.StartAsync(Cancellation);
        var log = worker.Services.GetRequiredService<DeliveryLog>();
        await log.WaitForAsync(() => log.Consumed.Count > 0, "the waiting message consumed after the worker started", TimeSpan.FromSeconds(30), Cancellation);
        await worker.StopAsync(Cancellation);

        Assert.Equal([message.SubmissionId], log.Consumed);
    }

    [Fact]
    public async Task Queues_are_kebab_case_names_with_the_prefix_and_classic_unless_quorum_is_asked_for()
    {
        await using var broker = await TestBroker.CreateAsync(Cancellation);
        using var host = MessagingHosts.Build(broker.MessagingSettings(), bus => bus.AddConsumer<RecordSubmissionConsumer>());
        await host.StartAsync(Cancellation);
        await host.StopAsync(Cancellation);

        var queues = await broker.ListQueuesAsync(Cancellation);
        var queue = await broker.GetQueueAsync(Queue, Cancellation);

        Assert.Contains(Queue, queues);
        Assert.Equal("classic", queue?.Type);
    }

    [Fact]
    public async Task The_configured_prefetch_count_reaches_the_broker()
    {
        await using var broker = await TestBroker.CreateAsync(Cancellation);
        var settings = new Dictionary<string, string?>(broker.MessagingSettings()) { ["Messaging:PrefetchCount"] = "7" };
        using var host = MessagingHosts.Build(settings, bus => bus.AddConsumer<RecordSubmissionConsumer>());
        await host.StartAsync(Cancellation);

        IReadOnlyList<int> prefetchCounts = [];
        await Poll.UntilAsync(
            async token => (prefetchCounts = await broker.GetConsumerPrefetchCountsAsync(Queue, token)).Count > 0,
            $"a consumer on {Queue}",
            TimeSpan.FromSeconds(15),
            Cancellation);
        await host.StopAsync(Cancellation);

        Assert.Equal([7], prefetchCounts);
    }

    [Fact]
    public async Task Quorum_queues_are_declared_when_the_cluster_setting_asks_for_them()
    {
        await using var broker = await TestBroker.CreateAsync(Cancellation);
        var settings = new Dictionary<string, string?>(broker.MessagingSettings()) { ["Messaging:RabbitMq:QuorumQueues"] = "true" };
        using var host = MessagingHosts.Build(settings, bus => bus.AddConsumer<RecordSubmissionConsumer>());
        await host.StartAsync(Cancellation);

        var message = Submissions.New();
        await host.Services.GetRequiredService<IBus>().Publish(message, Cancellation);
        var log = host.Services.GetRequiredService<DeliveryLog>();
        await log.WaitForAsync(() => log.Consumed.Count > 0, "a message through a quorum queue consumed", TimeSpan.FromSeconds(30), Cancellation);
        await host.StopAsync(Cancellation);

        var queue = await broker.GetQueueAsync(Queue, Cancellation);
        Assert.Equal("quorum", queue?.Type);
    }
}

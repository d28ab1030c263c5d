using Aggregator.Messaging.Tests.Support;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aggregator.Messaging.Tests;

public sealed class DeliveryTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(MessagingHosts.InMemory)]
    [InlineData(MessagingHosts.RabbitMq)]
    public async Task Every_message_published_right_after_start_up_is_consumed(string transport)
    {
        const int count = 2_000;
        var (settings, broker) = await MessagingHosts.SettingsForAsync(transport, Cancellation);
        await using var _ = broker;
        using var host = MessagingHosts.Build(settings, bus => bus.AddConsumer<RecordSubmissionConsumer, RecordSubmissionConsumerDefinition>());

        await host.StartAsync(Cancellation);
        var bus = host.Services.GetRequiredService<IBus>();
        var sent = Enumerable.Range(0, count).Select(_ => Submissions.New()).ToList();
        await Task.WhenAll(sent.Select(message => bus.Publish(message, Cancellation)));

        var log = host.Services.GetRequiredService<DeliveryLog>();
        await log.WaitForAsync(() => log.DistinctConsumed.Count >= count, $"all {count} messages consumed", TimeSpan.FromSeconds(90), Cancellation);
        await host.StopAsync(Cancellation);

        Assert.Equal(sent.Select(message => message.SubmissionId).ToHashSet(), log.DistinctConsumed);
    }
}

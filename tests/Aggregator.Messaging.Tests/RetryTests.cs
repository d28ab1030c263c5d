using Aggregator.Messaging.Faults;
using Aggregator.Messaging.Tests.Support;
using Aggregator.Testing.Brokers;
using Aggregator.Testing.Waiting;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aggregator.Messaging.Tests;

public sealed class RetryTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(MessagingHosts.InMemory)]
    [InlineData(MessagingHosts.RabbitMq)]
    public async Task A_consumer_that_fails_transiently_is_retried_until_it_succeeds(string transport)
    {
        var (settings, broker) = await MessagingHosts.SettingsForAsync(transport, Cancellation);
        await using var _ = broker;
        using var host = MessagingHosts.Build(settings.Concat(MessagingHosts.FastRetries), bus => bus.AddConsumer<FlakySubmissionConsumer>());
        await host.StartAsync(Cancellation);

        var message = Submissions.New();
        await host.Services.GetRequiredService<IBus>().Publish(message, Cancellation);
        var log = host.Services.GetRequiredService<DeliveryLog>();
        await log.WaitForAsync(() => log.Consumed.Count > 0, "the flaky consumer to succeed", TimeSpan.FromSeconds(30), Cancellation);

        Assert.Equal(FlakySubmissionConsumer.FailingAttempts + 1, log.AttemptsFor(message.SubmissionId));
        if (broker is not null)
            Assert.Empty(await ErrorQueueMessagesAsync(broker, "aggregator-flaky-submission_error"));
        await host.StopAsync(Cancellation);
    }

    [Fact]
    public async Task A_message_whose_consumer_keeps_failing_ends_in_the_error_queue_after_the_retries()
    {
        await using var broker = await TestBroker.CreateAsync(Cancellation);
        using var host = MessagingHosts.Build(broker.MessagingSettings().Concat(MessagingHosts.FastRetries), bus => bus.AddConsumer<AlwaysTimingOutConsumer>());
        await host.StartAsync(Cancellation);
        var deliveries = ReceiveCompletions.ConnectTo(host.Services.GetRequiredService<IBus>());

        var message = Submissions.New();
        await host.Services.GetRequiredService<IBus>().Publish(message, Cancellation);
        await deliveries.WhenCountAsync(1, TimeSpan.FromSeconds(30), Cancellation);
        var faulted = await WaitForErrorQueueAsync(broker, "aggregator-always-timing-out_error");
        await host.StopAsync(Cancellation);

        Assert.Equal(MessagingHosts.FastRetryCount + 1, host.Services.GetRequiredService<DeliveryLog>().AttemptsFor(message.SubmissionId));
        var dead = Assert.Single(faulted);
        Assert.Contains(message.SubmissionId.ToString(), dead.Payload, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(typeof(TimeoutException).FullName, dead.Header("MT-Fault-ExceptionType"));
        Assert.Equal(MessagingHosts.FastRetryCount, dead.IntHeader("MT-Fault-RetryCount"));
    }

    [Theory]
    [InlineData(typeof(PermanentFailureException))]
    [InlineData(typeof(ArgumentException))]
    [InlineData(typeof(System.ComponentModel.DataAnnotations.ValidationException))]
    public async Task A_permanent_failure_goes_to_the_error_queue_without_retries(Type exceptionType)
    {
        await using var broker = await TestBroker.CreateAsync(Cancellation);
        using var host = MessagingHosts.Build(broker.MessagingSettings().Concat(MessagingHosts.FastRetries), bus => bus.AddConsumer<RejectingConsumer>());
        await host.StartAsync(Cancellation);
        var deliveries = ReceiveCompletions.ConnectTo(host.Services.GetRequiredService<IBus>());

        var message = Submissions.New(unitCode: exceptionType.Name);
        await host.Services.GetRequiredService<IBus>().Publish(message, Cancellation);
        // Retries run inside the delivery, so once it is complete the attempts are final.
        await deliveries.WhenCountAsync(1, TimeSpan.FromSeconds(30), Cancellation);
        var faulted = await WaitForErrorQueueAsync(broker, "aggregator-rejecting_error");
        await host.StopAsync(Cancellation);

        Assert.Equal(1, host.Services.GetRequiredService<DeliveryLog>().AttemptsFor(message.SubmissionId));
        var dead = Assert.Single(faulted);
        Assert.Equal(exceptionType.FullName, dead.Header("MT-Fault-ExceptionType"));
        Assert.Equal(0, dead.IntHeader("MT-Fault-RetryCount") ?? 0);
    }

    [Fact]
    public async Task A_permanent_failure_is_not_retried_on_the_in_memory_transport_either()
    {
        using var host = MessagingHosts.Build(
            new Dictionary<string, string?> { ["Messaging:Transport"] = MessagingHosts.InMemory }.Concat(MessagingHosts.FastRetries),
            bus => bus.AddConsumer<RejectingConsumer>());
        await host.StartAsync(Cancellation);
        var log = host.Services.GetRequiredService<DeliveryLog>();
        var deliveries = ReceiveCompletions.ConnectTo(host.Services.GetRequiredService<IBus>());

        var message = Submissions.New(unitCode: nameof(PermanentFailureException));
        await host.Services.GetRequiredService<IBus>().Publish(message, Cancellation);
        await deliveries.WhenCountAsync(1, TimeSpan.FromSeconds(10), Cancellation);
        await host.StopAsync(Cancellation);

        Assert.Equal(1, log.AttemptsFor(message.SubmissionId));
    }

    [Theory]
    [InlineData(typeof(PermanentFailureException), true)]
    [InlineData(typeof(ArgumentNullException), true)]
    [InlineData(typeof(FormatException), true)]
    [InlineData(typeof(System.Text.Json.JsonException), true)]
    [InlineData(typeof(TimeoutException), false)]
    [InlineData(typeof(IOException), false)]
    [InlineData(typeof(InvalidOperationException), false)]
    public void Only_exceptions_that_a_retry_cannot_cure_count_as_permanent(Type exceptionType, bool permanent)
    {
        var exception = (Exception)Activator.CreateInstance(exceptionType)!;

        Assert.Equal(permanent, ConsumerRetryPolicy.IsPermanent(exception));
    }

    private static Task<IReadOnlyList<BrokerMessage>> WaitForErrorQueueAsync(TestBroker broker, string errorQueue) =>
        Poll.ForAsync(
            async _ => await ErrorQueueMessagesAsync(broker, errorQueue) is { Count: > 0 } messages ? messages : null,
            $"a message in {errorQueue}",
            TimeSpan.FromSeconds(30),
            Cancellation);

    // MassTransit declares an error queue with the first message it moves there.
    private static async Task<IReadOnlyList<BrokerMessage>> ErrorQueueMessagesAsync(TestBroker broker, string errorQueue) =>
        await broker.GetQueueAsync(errorQueue, Cancellation) is null
            ? []
            : await broker.PeekMessagesAsync(errorQueue, cancellationToken: Cancellation);
}

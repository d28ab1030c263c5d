using Aggregator.Messaging.RabbitMq;
using Aggregator.Messaging.Tests.Support;
using Aggregator.Testing.Brokers;
using Aggregator.Testing.Processes;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aggregator.Messaging.Tests;

public sealed class StartupTests
{
    private const string Password = "s3cret-Pa55";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_unreachable_broker_fails_start_up_with_an_error_naming_the_host_and_never_the_password()
    {
        var port = LoopbackPorts.Free();
        var logs = new CapturedLogs();
        var settings = new Dictionary<string, string?>
        {
            ["Messaging:Transport"] = "rabbitmq",
            ["Messaging:RabbitMq:Uri"] = $"amqp://aggregator:{Password}@127.0.0.1:{port}/production",
            ["Messaging:RabbitMq:ConnectAttempts"] = "3",
            ["Messaging:RabbitMq:ConnectRetryDelay"] = "00:00:00.050",
        };
        using var host = MessagingHosts.Build(settings, bus => bus.AddConsumer<RecordSubmissionConsumer>(), logs: logs);

        var failure = await Assert.ThrowsAsync<BrokerConnectionException>(() => host.StartAsync(Cancellation));

        Assert.Contains($"127.0.0.1:{port}", failure.Message, StringComparison.Ordinal);
        Assert.Contains("'production'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("3 attempt", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, failure.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, logs.Lines.Count(line => line.Contains("is not reachable", StringComparison.Ordinal)));
        Assert.DoesNotContain(logs.Lines, line => line.Contains(Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bus_that_starts_consumes_and_stops_logs_nothing_that_contains_the_broker_password()
    {
        await using var broker = await TestBroker.CreateAsync(Cancellation);
        var logs = new CapturedLogs();
        using var host = MessagingHosts.Build(broker.MessagingSettings(), bus => bus.AddConsumer<RecordSubmissionConsumer>(), logs: logs);

        await host.StartAsync(Cancellation);
        await host.Services.GetRequiredService<IBus>().Publish(Submissions.New(), Cancellation);
        var log = host.Services.GetRequiredService<DeliveryLog>();
        await log.WaitForAsync(() => log.Consumed.Count > 0, "the message consumed", TimeSpan.FromSeconds(30), Cancellation);
        await host.StopAsync(Cancellation);

        Assert.Contains(logs.Lines, line => line.Contains(broker.Host, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, line => line.Contains(broker.Password, StringComparison.Ordinal));
    }

    [Fact]
    public void Choosing_rabbitmq_without_a_broker_uri_is_a_configuration_error()
    {
        var settings = new Dictionary<string, string?> { ["Messaging:Transport"] = "rabbitmq" };

        var failure = Assert.Throws<InvalidOperationException>(() => MessagingHosts.Build(settings, _ => { }));

        Assert.Contains("Messaging:RabbitMq:Uri", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broker_uri_of_another_scheme_is_rejected_without_echoing_it()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Messaging:Transport"] = "rabbitmq",
            ["Messaging:RabbitMq:Uri"] = $"http://admin:{Password}@broker.example:15672/",
        };

        var failure = Assert.Throws<InvalidOperationException>(() => MessagingHosts.Build(settings, _ => { }));

        Assert.Contains("amqp://", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, failure.Message, StringComparison.Ordinal);
    }
}

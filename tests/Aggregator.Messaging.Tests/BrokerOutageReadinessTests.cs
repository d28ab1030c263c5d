using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Aggregator.Messaging.Tests.Support;
using Aggregator.ServiceDefaults;
using Aggregator.Testing.Brokers;
using Aggregator.Testing.Waiting;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Messaging.Tests;

/// <summary>
/// A process reached the real broker through <see cref="TcpProxy"/>, so that cutting the proxy is an outage for
/// that process alone while the shared broker keeps running for everyone else.
/// </summary>
[Collection(ProcessWideMetricsCollection.Name)]
public sealed class BrokerOutageReadinessTests
{
    private static readonly TimeSpan NotReadyWithin = TimeSpan.FromSeconds(15);
    // Reconnect pauses are capped at Messaging:RabbitMq:ReconnectMaxDelay (2 s); MassTransit's own grew to 30 s.
    private static readonly TimeSpan RecoveredWithin = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan OutageLength = TimeSpan.FromSeconds(25);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_worker_is_not_ready_while_the_broker_is_cut_off_and_consumes_again_within_seconds_of_its_return()
    {
        await using var broker = await TestBroker.CreateAsync(Cancellation);
        await using var proxy = TcpProxy.Start(broker.Host, broker.Port);
        await using var worker = await StartAppAsync(ThroughProxy(broker, proxy), bus => bus.AddConsumer<RecordSubmissionConsumer, RecordSubmissionConsumerDefinition>());
        using var client = worker.GetTestClient();
        using var publisher = MessagingHosts.Build(broker.MessagingSettings(), _ => { });
        await publisher.StartAsync(Cancellation);
        var log = worker.Services.GetRequiredService<DeliveryLog>();
        await AssertReadyAsync(client);

        proxy.Interrupt();
        var notReady = await WaitForNotReadyAsync(client);
        // Long enough for the endpoint's reconnect attempts to back off, as they do in a real outage.
        await Task.Delay(OutageLength, Cancellation);

        proxy.Restore();
        var restored = Stopwatch.StartNew();
        var message = Submissions.New();
        await publisher.Services.GetRequiredService<IBus>().Publish(message, Cancellation);
        await log.WaitForAsync(() => log.DistinctConsumed.Contains(message.SubmissionId), "the message published after the broker returned consumed", RecoveredWithin, Cancellation);
        var consumedAfter = restored.Elapsed;
        await Poll.UntilAsync(async _ => (await GetReadyAsync(client)).Status == HttpStatusCode.OK, "ready again", RecoveredWithin, Cancellation);
        var readyAfter = restored.Elapsed;

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"not ready {notReady.TotalSeconds:F1} s after the cut; consumed {consumedAfter.TotalSeconds:F1} s and ready {readyAfter.TotalSeconds:F1} s after the broker returned");
        await publisher.StopAsync(Cancellation);
    }

    [Fact]
    public async Task A_process_without_consumers_is_not_ready_while_the_broker_is_cut_off_and_ready_again_after()
    {
        await using var broker = await TestBroker.CreateAsync(Cancellation);
        await using var proxy = TcpProxy.Start(broker.Host, broker.Port);
        await using var api = await StartAppAsync(ThroughProxy(broker, proxy), _ => { });
        using var client = api.GetTestClient();
        await AssertReadyAsync(client);

        proxy.Interrupt();
        await WaitForNotReadyAsync(client);
        proxy.Restore();

        await Poll.UntilAsync(async _ => (await GetReadyAsync(client)).Status == HttpStatusCode.OK, "ready again", RecoveredWithin, Cancellation);
    }

    private static Dictionary<string, string?> ThroughProxy(TestBroker broker, TcpProxy proxy) => new(broker.MessagingSettings())
    {
        ["Messaging:RabbitMq:Uri"] = new UriBuilder(broker.Uri) { Port = proxy.Port }.Uri.ToString(),
    };

    private static async Task AssertReadyAsync(HttpClient client)
    {
        var (status, checks) = await GetReadyAsync(client);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", checks["bus"]);
    }

    private static async Task<TimeSpan> WaitForNotReadyAsync(HttpClient client)
    {
        var cut = Stopwatch.StartNew();
        (HttpStatusCode Status, Dictionary<string, string> Checks) last = (HttpStatusCode.OK, []);
        await Poll.UntilAsync(
            async _ =>
            {
                last = await GetReadyAsync(client);
                return last.Status == HttpStatusCode.ServiceUnavailable;
            },
            "503 from " + ServiceDefaultsExtensions.ReadyPath,
            NotReadyWithin,
            Cancellation);
        Assert.Equal("Unhealthy", last.Checks["bus"]);
        return cut.Elapsed;
    }

    private static async Task<(HttpStatusCode Status, Dictionary<string, string> Checks)> GetReadyAsync(HttpClient client)
    {
        using var response = await client.GetAsync(ServiceDefaultsExtensions.ReadyPath, Cancellation);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        var checks = json.RootElement.GetProperty("checks").EnumerateArray()
            .ToDictionary(check => check.GetProperty("name").GetString()!, check => check.GetProperty("status").GetString()!);
        return (response.StatusCode, checks);
    }

    private static async Task<WebApplication> StartAppAsync(
        IEnumerable<KeyValuePair<string, string?>> settings, Action<IBusRegistrationConfigurator> registerConsumers)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        builder.Services.AddSingleton<DeliveryLog>();
        builder.Services.AddAggregatorMessaging(builder.Configuration, registerConsumers);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync(Cancellation);
        return app;
    }
}

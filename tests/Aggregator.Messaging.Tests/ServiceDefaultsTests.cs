using System.Net;
using System.Text.Json;
using Aggregator.Messaging.Tests.Support;
using Aggregator.ServiceDefaults;
using Aggregator.Testing.Waiting;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Messaging.Tests;

[Collection(ProcessWideMetricsCollection.Name)]
public sealed class ServiceDefaultsTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Live_answers_200_while_the_process_runs()
    {
        await using var app = await StartAppAsync(InMemory());
        using var client = app.GetTestClient();

        using var response = await client.GetAsync(ServiceDefaultsExtensions.LivePath, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(MessagingHosts.InMemory)]
    [InlineData(MessagingHosts.RabbitMq)]
    public async Task Ready_reports_the_bus_and_the_database(string transport)
    {
        var (settings, broker) = await MessagingHosts.SettingsForAsync(transport, Cancellation);
        await using var _ = broker;
        await using var app = await StartAppAsync(settings, services => services.AddDatabaseReadiness((_, _) => Task.CompletedTask));
        using var client = app.GetTestClient();

        using var response = await client.GetAsync(ServiceDefaultsExtensions.ReadyPath, Cancellation);
        var checks = await ChecksAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", checks["masstransit-bus"]);
        Assert.Equal("Healthy", checks["database"]);
        Assert.DoesNotContain("self", checks.Keys);
    }

    [Fact]
    public async Task Ready_fails_while_the_database_probe_fails_and_does_not_echo_its_password()
    {
        await using var app = await StartAppAsync(
            InMemory(),
            services => services.AddDatabaseReadiness((_, _) =>
                throw new InvalidOperationException("cannot open Host=db;Username=app;Password=hunter2")));
        using var client = app.GetTestClient();

        using var response = await client.GetAsync(ServiceDefaultsExtensions.ReadyPath, Cancellation);
        var body = await response.Content.ReadAsStringAsync(Cancellation);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Unhealthy", Checks(body)["database"]);
        Assert.DoesNotContain("hunter2", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_serves_prometheus_text_with_the_http_server_metrics()
    {
        await using var app = await StartAppAsync(InMemory());
        using var client = app.GetTestClient();
        using (await client.GetAsync(ServiceDefaultsExtensions.LivePath, Cancellation))
        {
        }

        using var response = await client.GetAsync(ServiceDefaultsExtensions.MetricsPath, Cancellation);
        var text = await response.Content.ReadAsStringAsync(Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("http_route=\"/health/live\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_include_the_bus_once_it_has_handled_messages()
    {
        await using var app = await StartAppAsync(InMemory(), registerConsumers: bus => bus.AddConsumer<RecordSubmissionConsumer>());
        using var client = app.GetTestClient();
        await app.Services.GetRequiredService<IBus>().Publish(Submissions.New(), Cancellation);
        var log = app.Services.GetRequiredService<DeliveryLog>();
        await log.WaitForAsync(() => log.Consumed.Count > 0, "the message consumed", TimeSpan.FromSeconds(10), Cancellation);

        string text = string.Empty;
        await Poll.UntilAsync(
            async _ =>
            {
                text = await client.GetStringAsync(ServiceDefaultsExtensions.MetricsPath, Cancellation);
                return text.Contains("messaging_masstransit_", StringComparison.Ordinal);
            },
            "MassTransit metrics on " + ServiceDefaultsExtensions.MetricsPath,
            TimeSpan.FromSeconds(5),
            Cancellation);

        Assert.Contains("messaging_masstransit_", text, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> InMemory() => new() { ["Messaging:Transport"] = MessagingHosts.InMemory };

    private static async Task<WebApplication> StartAppAsync(
        IEnumerable<KeyValuePair<string, string?>> settings,
        Action<IServiceCollection>? configureServices = null,
        Action<IBusRegistrationConfigurator>? registerConsumers = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        builder.Services.AddSingleton<DeliveryLog>();
        builder.Services.AddAggregatorMessaging(builder.Configuration, registerConsumers ?? (_ => { }));
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync(Cancellation);
        return app;
    }

    private static async Task<Dictionary<string, string>> ChecksAsync(HttpResponseMessage response) =>
        Checks(await response.Content.ReadAsStringAsync(Cancellation));

    private static Dictionary<string, string> Checks(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("checks").EnumerateArray()
            .ToDictionary(check => check.GetProperty("name").GetString()!, check => check.GetProperty("status").GetString()!);
    }
}

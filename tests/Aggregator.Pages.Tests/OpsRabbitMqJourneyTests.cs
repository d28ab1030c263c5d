using Aggregator.Application.Security;
using Aggregator.Contracts;
using Aggregator.Hosting;
using Aggregator.Intake;
using Aggregator.ServiceDefaults;
using Aggregator.Testing.Brokers;
using Aggregator.Testing.Databases;
using Aggregator.Testing.Waiting;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Aggregator.Pages.Tests;

/// <summary>
/// The ops page of an intake API on the real RabbitMQ: a poison message is seen in its error queue with its fault and
/// the submission it concerns, and the page's redrive button moves it back once.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class OpsRabbitMqJourneyTests(PagesHost host)
{
    private const string Queue = PoisonedSubmissions.Queue;

    [Fact]
    public async Task Ops_see_a_poison_message_with_its_fault_and_redrive_it_from_the_page()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var broker = await TestBroker.CreateAsync(ct);
        var poisoned = new PoisonedSubmissions();
        using var worker = await poisoned.StartWorkerAsync(broker, ct);
        await using var database = await TestDatabases.SqliteAsync();
        var adminKey = ApiKeyText.Generate();
        await using var api = await StartIntakeAsync(database, broker, adminKey, ct);
        var address = api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var submissionId = Guid.NewGuid();
        await worker.Services.GetRequiredService<IPublishEndpoint>().Publish(
            new SubmissionReceived { SubmissionId = submissionId, Version = 1, PeriodId = Guid.NewGuid(), UnitCode = "QL-HXZ" }, ct);
        await Poll.UntilAsync(() => poisoned.Failures == 1, "the poison message faulted", TimeSpan.FromSeconds(30), ct);

        var page = await host.NewPageAsync(address);
        await PagesHost.SignInAsync(page, adminKey);
        var errors = page.Locator("section", new() { HasText = "错误队列" }).Filter(new() { HasText = Queue + "_error" });
        await Poll.UntilAsync(
            async _ =>
            {
                await page.GotoAsync("/ops");
                return await errors.CountAsync() == 1 && (await errors.InnerTextAsync()).Contains(PoisonedSubmissions.Failure, StringComparison.Ordinal);
            },
            "the error queue and its message on the ops page", TimeSpan.FromSeconds(30), ct);

        await Expect(errors).ToContainTextAsync("（1 条）");
        await Expect(errors).ToContainTextAsync(typeof(NotSupportedException).FullName!);
        await Expect(errors.GetByRole(AriaRole.Link, new() { Name = "报表" })).ToHaveAttributeAsync("href", $"/admin/submissions/{submissionId}");
        var queues = page.Locator("section", new() { HasText = "消息队列" });
        await Expect(queues).ToContainTextAsync(Queue);
        await Expect(queues).Not.ToContainTextAsync("嵌入模式");
        await PagesHost.ScreenshotAsync(page, "26-ops-rabbitmq-error-queue");

        poisoned.Healed = true;
        await errors.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^重新投递消息 ") }).ClickAsync();
        await Poll.UntilAsync(() => poisoned.Successes == 1, "the redriven message consumed", TimeSpan.FromSeconds(30), ct);
        await Poll.UntilAsync(
            async _ =>
            {
                await page.GotoAsync("/ops");
                return await errors.CountAsync() == 0 || (await errors.InnerTextAsync()).Contains("（0 条）", StringComparison.Ordinal);
            },
            "the error queue empty on the ops page", TimeSpan.FromSeconds(30), ct);
        await PagesHost.ScreenshotAsync(page, "27-ops-rabbitmq-redriven");

        Assert.Empty(await broker.PeekMessagesAsync(Queue + "_error", cancellationToken: ct));
        await Task.Delay(500, ct);
        Assert.Equal(1, poisoned.Successes);
        Assert.Equal(1, poisoned.Failures);
    }

    /// <summary>The intake API as its own process composes it: pages, API and the outbox, no consumers.</summary>
    private static async Task<WebApplication> StartIntakeAsync(TestDatabase database, TestBroker broker, string adminKey, CancellationToken ct)
    {
        var builder = WebApplication.CreateBuilder();
        var settings = new Dictionary<string, string?>(database.Settings)
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Auth:BootstrapAdminKey"] = adminKey,
            ["Intake:RateLimit:PermitLimit"] = "100000",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in broker.MessagingSettings())
        {
            settings[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddAggregatorService(_ => { });
        builder.Services.AddIntakeApi(builder.Configuration);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapIntakeApi();
        await app.StartAsync(ct);
        return app;
    }
}

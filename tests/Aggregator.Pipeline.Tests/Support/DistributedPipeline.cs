using System.Net.Http.Headers;
using Aggregator.Aggregation;
using Aggregator.Application.Security;
using Aggregator.Intake;
using Aggregator.Messaging;
using Aggregator.Messaging.Outbox;
using Aggregator.Storage;
using Aggregator.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aggregator.Pipeline.Tests.Support;

/// <summary>
/// The distributed mode inside one test process: the intake API on a loopback port, a validation worker and an
/// aggregation worker, each a separate host with its own bus connection, over one database.
/// </summary>
public sealed class DistributedPipeline : IAsyncDisposable
{
    /// <summary>Short pauses so that a test waits for work, not for timers.</summary>
    public static readonly IReadOnlyDictionary<string, string?> FastSettings = new Dictionary<string, string?>
    {
        ["Messaging:Outbox:SweepInterval"] = "00:00:00.500",
        ["Messaging:Outbox:SweepMinimumAge"] = "00:00:00",
        ["Messaging:Outbox:PublishTimeout"] = "00:00:02",
        ["Messaging:Retry:Intervals:0"] = "00:00:00.050",
        ["Messaging:Retry:Intervals:1"] = "00:00:00.200",
        ["Intake:RateLimit:PermitLimit"] = "1000000",
    };

    private DistributedPipeline(WebApplication intake, IHost validation, IHost aggregation, Uri address, string adminKey)
    {
        Intake = intake;
        Validation = validation;
        Aggregation = aggregation;
        Address = address;
        AdminKey = adminKey;
    }

    public WebApplication Intake { get; }

    public IHost Validation { get; }

    public IHost Aggregation { get; }

    public Uri Address { get; }

    public string AdminKey { get; }

    /// <param name="intakeSettings">Overrides for the intake host only (e.g. a broker address through a proxy).</param>
    public static async Task<DistributedPipeline> StartAsync(
        IReadOnlyDictionary<string, string?> databaseSettings,
        IReadOnlyDictionary<string, string?> messagingSettings,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string?>? intakeSettings = null)
    {
        var adminKey = ApiKeyText.Generate();
        var common = databaseSettings.Concat(messagingSettings).Concat(FastSettings).ToList();
        var intake = BuildIntake(common, [.. intakeSettings ?? new Dictionary<string, string?>(), new("Auth:BootstrapAdminKey", adminKey)]);
        await intake.StartAsync(cancellationToken);
        var address = new Uri(intake.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        var validation = BuildWorker(common, (services, configuration) => services.AddValidationWorker(configuration));
        var aggregation = BuildWorker(common, (services, configuration) => services.AddAggregationWorker(configuration));
        await Task.WhenAll(validation.StartAsync(cancellationToken), aggregation.StartAsync(cancellationToken));
        return new DistributedPipeline(intake, validation, aggregation, address, adminKey);
    }

    /// <summary>An HTTP client for the API with the admin key.</summary>
    public ApiClient CreateClient()
    {
        var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return new ApiClient(http);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in new IHost[] { Validation, Aggregation })
        {
            await host.StopAsync(CancellationToken.None);
            host.Dispose();
        }

        await Intake.StopAsync(CancellationToken.None);
        await Intake.DisposeAsync();
    }

    private static WebApplication BuildIntake(IEnumerable<KeyValuePair<string, string?>> settings, IEnumerable<KeyValuePair<string, string?>> overrides)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddInMemoryCollection(overrides);
        builder.Logging.ClearProviders();
        builder.Services.AddAggregatorStorage(builder.Configuration).AddDatabaseMigrationOnStartup();
        builder.Services.AddAggregatorMessaging(builder.Configuration, _ => { });
        builder.Services.AddOutboxRelay();
        builder.Services.AddIntakeApi(builder.Configuration);
        var app = builder.Build();
        app.MapIntakeApi();
        return app;
    }

    private static IHost BuildWorker(IEnumerable<KeyValuePair<string, string?>> settings, Action<IServiceCollection, IConfiguration> addWorker)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(settings);
        addWorker(builder.Services, builder.Configuration);
        return builder.Build();
    }
}

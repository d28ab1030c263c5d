using Aggregator.Hosting;
using Aggregator.Intake;
using Aggregator.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Cli.Hosting;

/// <summary>The intake API and every worker's consumers in one process: the embedded mode's server.</summary>
public static class AllInOneHost
{
    /// <summary>
    /// Builds the host. Settings come from appsettings.json and the environment as for the services, on top of the
    /// embedded defaults (a SQLite file in the working directory, the in-memory bus).
    /// </summary>
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?> overrides)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = Directory.GetCurrentDirectory() });
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = EmbeddedPipeline.Settings(Path.GetFullPath("aggregator.db")),
        });
        builder.Configuration.AddInMemoryCollection(overrides);

        builder.AddAggregatorService(EmbeddedPipeline.AddEveryConsumer);
        builder.Services.AddStalledWorkReconciler(builder.Configuration);
        builder.Services.AddIntakeApi(builder.Configuration);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapIntakeApi();
        return app;
    }
}

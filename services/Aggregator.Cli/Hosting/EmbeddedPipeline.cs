using Aggregator.Aggregation;
using Aggregator.Hosting;
using Aggregator.Validation;
using MassTransit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aggregator.Cli.Hosting;

/// <summary>
/// The embedded mode: the same consumers as the workers, on MassTransit's in-memory transport, over a SQLite file,
/// in this process. Start it, call the use cases through <see cref="Get{T}"/>, dispose it.
/// </summary>
public sealed class EmbeddedPipeline : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(1);

    private readonly IHost _host;

    private EmbeddedPipeline(IHost host, string databasePath)
    {
        _host = host;
        DatabasePath = databasePath;
    }

    public string DatabasePath { get; }

    /// <summary>Starts the pipeline over a fresh SQLite file at <paramref name="databasePath"/> (an existing one is replaced).</summary>
    /// <param name="settings">Settings over the embedded defaults, e.g. <c>Reporting:TemplateDirectory</c>.</param>
    public static async Task<EmbeddedPipeline> StartAsync(
        string databasePath, CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? settings = null)
    {
        DeleteDatabase(databasePath);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(Settings(databasePath));
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddAggregatorPipeline(builder.Configuration, AddEveryConsumer);
        builder.Services.AddStalledWorkReconciler(builder.Configuration);
        // The command owns SIGINT and SIGTERM (TerminationSignals): the default console lifetime would stop the host
        // behind the command's back and hold the process open at exit until the host is disposed.
        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = StopTimeout);
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new EmbeddedPipeline(host, databasePath);
    }

    /// <summary>Every worker's consumers: what one process hosts in the embedded mode.</summary>
    public static void AddEveryConsumer(IBusRegistrationConfigurator bus)
    {
        bus.AddValidationConsumers();
        bus.AddAggregationConsumers();
    }

    /// <summary>The embedded defaults: a SQLite file and the in-memory bus.</summary>
    public static IReadOnlyDictionary<string, string?> Settings(string databasePath) => new Dictionary<string, string?>
    {
        ["Database:Provider"] = "sqlite",
        ["Database:ConnectionString"] = new SqliteConnectionStringBuilder { DataSource = databasePath }.ToString(),
        ["Messaging:Transport"] = "inmemory",
        // Everything is published by the process that wrote it, at once; the sweep only covers a crash.
        ["Messaging:Outbox:SweepInterval"] = "00:00:01",
        // A command that is told to stop cancels the steps in flight at once: their writes are transactions, and
        // the rollup they belong to is marked interrupted.
        ["Messaging:StopTimeout"] = StopTimeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
    };

    public IServiceProvider Services => _host.Services;

    public T Get<T>()
        where T : notnull => _host.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
        // Pooled connections would keep the file open (and locked on some systems) after the pipeline is gone.
        SqliteConnection.ClearAllPools();
    }

    private static void DeleteDatabase(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }

    private sealed class CommandLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

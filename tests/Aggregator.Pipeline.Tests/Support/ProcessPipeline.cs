using System.Net.Http.Headers;
using Aggregator.Application.Security;
using Aggregator.Testing.Faults;
using Aggregator.Testing.Processes;
using Npgsql;

namespace Aggregator.Pipeline.Tests.Support;

/// <summary>
/// The distributed mode as deployed: the intake API, validation workers and an aggregation worker, each its own
/// operating system process (<c>dotnet Service.dll</c>) over one database and one broker. A test can kill a worker
/// and start another.
/// </summary>
public sealed class ProcessPipeline : IAsyncDisposable
{
    public const string IntakeApi = "Aggregator.Intake.Api";
    public const string ValidationWorker = "Aggregator.Validation.Worker";
    public const string AggregationWorker = "Aggregator.Aggregation.Worker";

    /// <summary>Short sweeps and retries so that a test waits for the fault, not for timers; no rate limit on intake.</summary>
    public static readonly IReadOnlyDictionary<string, string?> FaultSettings = new Dictionary<string, string?>
    {
        ["Messaging:Outbox:SweepInterval"] = "00:00:00.500",
        ["Messaging:Outbox:SweepMinimumAge"] = "00:00:01",
        ["Messaging:Outbox:PublishTimeout"] = "00:00:03",
        ["Messaging:Outbox:ClaimLease"] = "00:00:05",
        ["Messaging:Retry:Intervals:0"] = "00:00:00.100",
        ["Messaging:Retry:Intervals:1"] = "00:00:00.500",
        ["Messaging:RabbitMq:ConnectAttempts"] = "8",
        ["Reconciler:Interval"] = "00:00:01",
        ["Reconciler:StalledAfter"] = "00:00:45",
        ["Intake:RateLimit:PermitLimit"] = "1000000",
    };

    /// <summary>
    /// Connections each process may hold on a PostgreSQL server. Npgsql's default of 100 per process let four processes
    /// under load, beside other tests, exhaust the shared server (53300 too many clients).
    /// </summary>
    public const int MaxPoolSize = 8;

    private readonly IReadOnlyDictionary<string, string?> settings;
    private readonly List<ServiceProcess> workers = [];

    private ProcessPipeline(IReadOnlyDictionary<string, string?> settings, ServiceProcess intake, string adminKey)
    {
        this.settings = settings;
        Intake = intake;
        AdminKey = adminKey;
    }

    public ServiceProcess Intake { get; }

    public string AdminKey { get; }

    /// <summary>Every worker started, killed ones included, in start order.</summary>
    public IReadOnlyList<ServiceProcess> Workers => workers;

    /// <summary>
    /// Starts the API (which migrates the database) and then one validation worker and one aggregation worker;
    /// <paramref name="overrides"/> replace <see cref="FaultSettings"/> keys.
    /// </summary>
    public static async Task<ProcessPipeline> StartAsync(
        IReadOnlyDictionary<string, string?> databaseSettings,
        IReadOnlyDictionary<string, string?> messagingSettings,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>(FaultSettings);
        foreach (var (key, value) in databaseSettings.Concat(messagingSettings).Concat(overrides ?? new Dictionary<string, string?>()))
            settings[key] = value;
        if (string.Equals(settings.GetValueOrDefault("Database:Provider"), "postgres", StringComparison.OrdinalIgnoreCase)
            && settings.GetValueOrDefault("Database:ConnectionString") is { } connectionString)
        {
            // Waiting for a pooled connection counts against Timeout, so it is long enough for a full pool under load.
            settings["Database:ConnectionString"] = new NpgsqlConnectionStringBuilder(connectionString)
            {
                MaxPoolSize = MaxPoolSize,
                Timeout = Math.Max(new NpgsqlConnectionStringBuilder(connectionString).Timeout, 15),
            }.ConnectionString;
        }

        var adminKey = ApiKeyText.Generate();
        var intake = await ServiceProcess.StartAsync(
            IntakeApi, new Dictionary<string, string?>(settings) { ["Auth:BootstrapAdminKey"] = adminKey }, cancellationToken);
        var pipeline = new ProcessPipeline(settings, intake, adminKey);
        try
        {
            await Task.WhenAll(
                pipeline.StartWorkerAsync(ValidationWorker, cancellationToken),
                pipeline.StartWorkerAsync(AggregationWorker, cancellationToken));
            return pipeline;
        }
        catch
        {
            await pipeline.DisposeAsync();
            throw;
        }
    }

    public async Task<ServiceProcess> StartWorkerAsync(string service, CancellationToken cancellationToken)
    {
        var worker = await ServiceProcess.StartAsync(service, settings, cancellationToken, $"{service} #{workers.Count + 1}");
        lock (workers)
            workers.Add(worker);
        return worker;
    }

    /// <summary>An HTTP client for the API with the admin key.</summary>
    public ApiClient CreateClient()
    {
        var http = new HttpClient { BaseAddress = Intake.Address, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return new ApiClient(http);
    }

    /// <summary>Validation requests consumed by every validation worker so far, and how many were for a version seen before.</summary>
    public (int Consumed, int Duplicated) ValidationDeliveriesSoFar() =>
        ValidationDeliveries.Count(workers.Where(w => w.Name.StartsWith(ValidationWorker, StringComparison.Ordinal)).SelectMany(w => w.Lines));

    /// <summary>The last lines of every process, for a failure message.</summary>
    public string Tails() =>
        string.Join("\n", new[] { Intake }.Concat(workers).Select(p => $"--- {p.Name} (pid {p.ProcessId}{(p.HasExited ? ", exited" : string.Empty)})\n{p.Tail(15)}"));

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(workers.Select(w => w.DisposeAsync().AsTask()));
        await Intake.DisposeAsync();
    }
}

using System.Diagnostics;
using System.Globalization;
using Aggregator.Testing.Processes;
using Aggregator.Testing.Waiting;

namespace Aggregator.Testing.Brokers;

/// <summary>
/// A RabbitMQ node of one test's own (its own node name, AMQP and distribution ports, data and log directories, no
/// plugins), so that a fault test can stop and start a real broker without touching the shared node others' tests
/// use. Removed on dispose.
/// </summary>
public sealed class PrivateRabbitMq : IAsyncDisposable
{
    public const string BinariesVariable = "AGGREGATOR_TEST_RABBITMQ_BIN";
    private const string DefaultBinaries = "/usr/lib/rabbitmq/bin";
    private const string ServiceUser = "rabbitmq";
    private static readonly TimeSpan BootTimeout = TimeSpan.FromSeconds(90);

    private readonly string binaries;
    private readonly bool asServiceUser;
    private readonly IReadOnlyDictionary<string, string> environment;
    private int disposed;

    private PrivateRabbitMq(string binaries, string directory, bool asServiceUser)
    {
        this.binaries = binaries;
        this.asServiceUser = asServiceUser;
        Directory = directory;
        NodeName = $"aggregator-fault-{Guid.NewGuid():N}@localhost";
        Port = LoopbackPorts.Free();
        DistributionPort = LoopbackPorts.Free();
        environment = new Dictionary<string, string>
        {
            ["RABBITMQ_NODENAME"] = NodeName,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = Port.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = DistributionPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(directory, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(directory, "log"),
            ["RABBITMQ_PID_FILE"] = PidFile,
            // Neither the shared node's configuration (its listeners) nor its plugins (management on 15672).
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(directory, "rabbitmq.conf"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(directory, "enabled_plugins"),
        };
    }

    public string NodeName { get; }

    public int Port { get; }

    public int DistributionPort { get; }

    public string Directory { get; }

    public bool IsRunning { get; private set; }

    /// <summary><c>amqp://guest:guest@127.0.0.1:port/</c>: the default user, which a fresh node allows from loopback.</summary>
    public Uri AmqpUri => new(string.Create(CultureInfo.InvariantCulture, $"amqp://guest:guest@127.0.0.1:{Port}/"));

    /// <summary>The configuration keys that point <c>AddAggregatorMessaging</c> at this node.</summary>
    public IReadOnlyDictionary<string, string?> MessagingSettings() => new Dictionary<string, string?>
    {
        ["Messaging:Transport"] = "rabbitmq",
        ["Messaging:RabbitMq:Uri"] = AmqpUri.ToString(),
    };

    private string PidFile => Path.Combine(Directory, "node.pid");

    /// <summary>
    /// Starts a fresh node; skips the calling test when RabbitMQ's scripts are not installed (set
    /// <see cref="BinariesVariable"/> to their directory when they live elsewhere).
    /// </summary>
    public static async Task<PrivateRabbitMq> StartAsync(CancellationToken cancellationToken = default)
    {
        var binaries = Environment.GetEnvironmentVariable(BinariesVariable) is { Length: > 0 } configured ? configured : DefaultBinaries;
        if (!File.Exists(Path.Combine(binaries, "rabbitmq-server")) || !File.Exists(Path.Combine(binaries, "rabbitmqctl")))
            Skips.Skip($"A private RabbitMQ node needs rabbitmq-server and rabbitmqctl in {binaries} (or {BinariesVariable}).");

        // The Debian scripts run the node as the service user, which shares the Erlang cookie the CLI tools read.
        var asServiceUser = Environment.IsPrivilegedProcess;
        var directory = System.IO.Directory.CreateTempSubdirectory("aggregator-rabbitmq-").FullName;
        var node = new PrivateRabbitMq(binaries, directory, asServiceUser);
        try
        {
            System.IO.Directory.CreateDirectory(Path.Combine(directory, "mnesia"));
            System.IO.Directory.CreateDirectory(Path.Combine(directory, "log"));
            await File.WriteAllTextAsync(Path.Combine(directory, "enabled_plugins"), "[].\n", cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(directory, "rabbitmq.conf"), "log.console = false\n", cancellationToken);
            if (asServiceUser)
            {
                await ToolRunner.RunAsync("chmod", ["755", directory], cancellationToken);
                await ToolRunner.RunAsync("chown", ["-R", $"{ServiceUser}:{ServiceUser}", directory], cancellationToken);
            }

            await node.StartServerAsync(cancellationToken);
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the node again on the same ports and data; returns once it accepts AMQP connections.</summary>
    public async Task StartServerAsync(CancellationToken cancellationToken = default)
    {
        await RunScriptAsync("rabbitmq-server", ["-detached"], cancellationToken);
        // The CLI is asked only once the listener is open: asked while the node boots, it fails or races the boot.
        var booting = Stopwatch.StartNew();
        await Poll.UntilAsync(token => LoopbackPorts.AcceptsAsync(Port, token), $"RabbitMQ node {NodeName} listening on {Port}",
            BootTimeout, cancellationToken, () => LogTail());
        ListeningTimestamp = Stopwatch.GetTimestamp();
        await RunScriptAsync("rabbitmqctl", ["-q", "-n", NodeName, "await_startup", "--timeout", "60"], cancellationToken);
        IsRunning = true;
        StartupTime = booting.Elapsed;
    }

    /// <summary>Each queue of the node with how many consumers it has now, as <c>rabbitmqctl list_queues</c> reports them.</summary>
    public async Task<IReadOnlyDictionary<string, int>> QueueConsumersAsync(CancellationToken cancellationToken = default)
    {
        var output = await RunScriptOutputAsync("rabbitmqctl", ["-q", "-n", NodeName, "list_queues", "--no-table-headers", "name", "consumers"], cancellationToken);
        var consumers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split('\t', StringSplitOptions.TrimEntries);
            if (fields.Length == 2 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                consumers[fields[0]] = count;
        }

        return consumers;
    }

    /// <summary>
    /// When (<see cref="Stopwatch.GetTimestamp"/>) the last start opened the AMQP port: clients can connect from then
    /// on, although <see cref="StartServerAsync"/> returns only once the node reports its start-up complete.
    /// </summary>
    public long ListeningTimestamp { get; private set; }

    /// <summary>How long the last start took until the node accepted connections and its applications ran.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>Stops the node and waits until its process has ended and its port is closed.</summary>
    public async Task StopServerAsync(CancellationToken cancellationToken = default)
    {
        // With the pid file, stop waits for the operating system process to end, not only for the node to say it halts.
        await RunScriptAsync("rabbitmqctl", ["-q", "-n", NodeName, "stop", PidFile], cancellationToken);
        await Poll.UntilAsync(async token => !await LoopbackPorts.AcceptsAsync(Port, token), $"RabbitMQ node {NodeName} closing port {Port}",
            BootTimeout, cancellationToken);
        IsRunning = false;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
            return;

        if (File.Exists(PidFile))
        {
            try
            {
                await RunScriptAsync("rabbitmqctl", ["-q", "-n", NodeName, "stop", PidFile], CancellationToken.None);
            }
            catch (InvalidOperationException)
            {
                // Not running: the directory goes anyway.
            }
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private Task RunScriptAsync(string script, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunScriptOutputAsync(script, arguments, cancellationToken);

    private Task<string> RunScriptOutputAsync(string script, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var path = Path.Combine(binaries, script);
        return asServiceUser
            ? ToolRunner.RunAsync("runuser", ["-u", ServiceUser, "--", path, .. arguments], cancellationToken, environment)
            : ToolRunner.RunAsync(path, arguments, cancellationToken, environment);
    }

    private string LogTail()
    {
        var log = Path.Combine(Directory, "log", NodeName + ".log");
        try
        {
            return File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(15)) : "no log yet";
        }
        catch (IOException exception)
        {
            return exception.Message;
        }
    }
}

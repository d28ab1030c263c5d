using System.Globalization;
using System.Net;
using Aggregator.Storage;
using Aggregator.Testing.Processes;
using Npgsql;

namespace Aggregator.Testing.Databases;

/// <summary>
/// A PostgreSQL cluster of one test's own (initdb into a temporary directory, a free loopback port), so that a fault
/// test can stop and start a real server without touching the shared one others' tests use. Removed on dispose.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    public const string BinariesVariable = "AGGREGATOR_TEST_POSTGRES_BIN";
    private const string DefaultBinaries = "/usr/lib/postgresql/15/bin";
    private const string ServiceUser = "postgres";

    private readonly string binaries;
    private readonly bool asServiceUser;
    private int disposed;

    private PrivatePostgres(string binaries, string directory, int port, bool asServiceUser)
    {
        this.binaries = binaries;
        DataDirectory = directory;
        Port = port;
        this.asServiceUser = asServiceUser;
    }

    public string DataDirectory { get; }

    public int Port { get; }

    public bool IsRunning { get; private set; }

    /// <summary>The maintenance database of the cluster, as its superuser (trust authentication on loopback).</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = IPAddress.Loopback.ToString(),
        Port = Port,
        Username = ServiceUser,
        Database = "postgres",
        Timeout = 5,
    }.ConnectionString;

    /// <summary>
    /// Initialises and starts a cluster; skips the calling test when the PostgreSQL server binaries are not installed
    /// (set <see cref="BinariesVariable"/> to their directory when they live elsewhere).
    /// </summary>
    public static async Task<PrivatePostgres> StartAsync(CancellationToken cancellationToken = default)
    {
        var binaries = Environment.GetEnvironmentVariable(BinariesVariable) is { Length: > 0 } configured ? configured : DefaultBinaries;
        if (!File.Exists(Path.Combine(binaries, "initdb")) || !File.Exists(Path.Combine(binaries, "pg_ctl")))
        {
            Skips.Skip($"A private PostgreSQL cluster needs initdb and pg_ctl in {binaries} (or {BinariesVariable}).");
        }

        // PostgreSQL refuses to run as root, so a root test process runs the cluster as the service user.
        var asServiceUser = Environment.IsPrivilegedProcess;
        var directory = Directory.CreateTempSubdirectory("aggregator-pg-").FullName;
        var cluster = new PrivatePostgres(binaries, directory, LoopbackPorts.Free(), asServiceUser);
        try
        {
            if (asServiceUser)
            {
                await ToolRunner.RunAsync("chown", [$"{ServiceUser}:{ServiceUser}", directory], cancellationToken);
            }

            await cluster.RunToolAsync(
                "initdb",
                ["-D", cluster.DataPath, "-U", ServiceUser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"],
                cancellationToken);
            await cluster.StartServerAsync(cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>A fresh database in this cluster; it goes with the cluster, so it may outlive a stopped server.</summary>
    public async Task<TestDatabase> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var created = await TestDatabases.CreatePostgresDatabaseAsync(ConnectionString);
        return new TestDatabase(DatabaseProvider.Postgres, created.Name, created.ConnectionString, () =>
        {
            NpgsqlConnection.ClearAllPools();
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>Starts the server again on the same port and data; returns once it accepts connections.</summary>
    public async Task StartServerAsync(CancellationToken cancellationToken = default)
    {
        var options = string.Create(CultureInfo.InvariantCulture,
            $"-p {Port} -k {DataDirectory} -c listen_addresses={IPAddress.Loopback} -c fsync=off -c max_connections=200");
        await RunToolAsync("pg_ctl", ["-D", DataPath, "-l", Path.Combine(DataDirectory, "server.log"), "-o", options, "-w", "-t", "60", "start"], cancellationToken);
        IsRunning = true;
    }

    /// <summary>Stops the server at once (<c>-m fast</c>: open sessions are ended, as in an outage).</summary>
    public async Task StopServerAsync(CancellationToken cancellationToken = default)
    {
        await RunToolAsync("pg_ctl", ["-D", DataPath, "-m", "fast", "-w", "-t", "60", "stop"], cancellationToken);
        IsRunning = false;
        NpgsqlConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        if (File.Exists(Path.Combine(DataPath, "postmaster.pid")))
        {
            try
            {
                await RunToolAsync("pg_ctl", ["-D", DataPath, "-m", "immediate", "-w", "-t", "60", "stop"], CancellationToken.None);
            }
            catch (InvalidOperationException)
            {
                // Already stopped: the directory goes anyway.
            }
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string DataPath => Path.Combine(DataDirectory, "data");

    private Task RunToolAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var path = Path.Combine(binaries, tool);
        return asServiceUser
            ? ToolRunner.RunAsync("runuser", ["-u", ServiceUser, "--", path, .. arguments], cancellationToken)
            : ToolRunner.RunAsync(path, arguments, cancellationToken);
    }
}

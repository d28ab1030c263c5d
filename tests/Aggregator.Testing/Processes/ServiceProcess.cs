using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Aggregator.Testing.Waiting;

namespace Aggregator.Testing.Processes;

/// <summary>
/// One of the repository's services as its own operating system process (<c>dotnet Service.dll</c>, as deployed),
/// configured through environment variables, with its console output kept for the test to read. It can be killed
/// with SIGKILL, as a crash or an OOM kill would end it.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    /// <summary>A directory to which every service process's output is also written, one file per process, when set.</summary>
    public const string LogDirectoryVariable = "AGGREGATOR_TEST_PROCESS_LOGS";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();
    private readonly HttpClient probe;

    private ServiceProcess(string name, Process process, Uri address)
    {
        Name = name;
        this.process = process;
        Address = address;
        probe = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
    }

    public string Name { get; }

    /// <summary>Where the service listens: <c>http://127.0.0.1:port/</c>.</summary>
    public Uri Address { get; }

    public int ProcessId => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>What the process wrote to its standard output and error so far, a line each.</summary>
    public IReadOnlyCollection<string> Lines => lines;

    /// <summary>
    /// Starts the service (<paramref name="service"/> is its project name, e.g. <c>Aggregator.Intake.Api</c>) on a free
    /// loopback port with <paramref name="settings"/> as configuration (<c>Section:Key</c>, passed as
    /// <c>Section__Key</c>), and waits until <c>/health/ready</c> answers 200.
    /// </summary>
    public static async Task<ServiceProcess> StartAsync(
        string service, IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken, string? instance = null)
    {
        var address = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{LoopbackPorts.Free()}/"));
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(ServiceBinaries.Locate(service))!,
        };
        start.ArgumentList.Add(ServiceBinaries.Locate(service));
        foreach (var name in start.Environment.Keys.Where(IsInheritedConfiguration).ToList())
            start.Environment.Remove(name);
        start.Environment["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/');
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        // One line per entry, so that a test can read the consumers' log lines.
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        start.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
        foreach (var (key, value) in settings)
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{service} did not start.");
        var running = new ServiceProcess(instance ?? service, process, address);
        process.OutputDataReceived += (_, line) => running.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => running.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await running.WaitUntilReadyAsync(StartTimeout, cancellationToken);
            return running;
        }
        catch
        {
            await running.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200; fails at once, with its output, if the process ends.</summary>
    public Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        Poll.UntilAsync(
            async token =>
            {
                if (process.HasExited)
                    throw new InvalidOperationException($"{Name} exited with {process.ExitCode} before it was ready:\n{Tail()}");
                return await IsReadyAsync(token);
            },
            $"{Name} ready at {Address}health/ready",
            timeout,
            cancellationToken,
            () => Tail());

    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await probe.GetAsync("health/ready", cancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Ends the process with SIGKILL: no shutdown hook, no flush, no acknowledgement of what it holds.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
            process.Kill();
        await process.WaitForExitAsync();
    }

    /// <summary>The last lines of output, for failure messages.</summary>
    public string Tail(int count = 30) => string.Join('\n', lines.TakeLast(count));

    public async ValueTask DisposeAsync()
    {
        probe.Dispose();
        await KeepLogAsync();
        if (!process.HasExited)
        {
            // SIGTERM first, so that a healthy service leaves the broker and database cleanly.
            try
            {
                await ToolRunner.RunAsync("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)], CancellationToken.None);
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await process.WaitForExitAsync(grace.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or InvalidOperationException)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }
        }

        process.Dispose();
    }

    private async Task KeepLogAsync()
    {
        if (Environment.GetEnvironmentVariable(LogDirectoryVariable) is not { Length: > 0 } directory)
            return;
        Directory.CreateDirectory(directory);
        var name = string.Concat(Name.Select(c => char.IsLetterOrDigit(c) || c == '.' ? c : '-'));
        await File.WriteAllLinesAsync(Path.Combine(directory, $"{DateTime.UtcNow:HHmmss}-{name}-{process.Id}.log"), lines);
    }

    private void Keep(string? line)
    {
        if (line is not null)
            lines.Enqueue(line);
    }

    // The test process's own settings (a test database, a CI flag's service addresses) must not leak into a service.
    private static bool IsInheritedConfiguration(string name) =>
        name.StartsWith("Database__", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Messaging__", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Auth__", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase);
}

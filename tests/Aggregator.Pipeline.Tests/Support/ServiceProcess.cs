using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Aggregator.Pipeline.Tests.Support;

/// <summary>
/// A deployable run as its own process (<c>dotnet services/X/bin/&lt;configuration&gt;/net10.0/X.dll</c>) on a free
/// loopback port, configured through environment variables as a deploy would; killed with its children on dispose.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private ServiceProcess(string name, Process process, Uri address, ConcurrentQueue<string> output)
    {
        Name = name;
        _process = process;
        Address = address;
        _output = output;
    }

    public string Name { get; }

    public Uri Address { get; }

    /// <summary>The last lines the process wrote, for a failure message.</summary>
    public string Tail(int lines = 40) => string.Join('\n', _output.TakeLast(lines));

    /// <param name="project">The project under services/, e.g. <c>Aggregator.Intake.Api</c>.</param>
    /// <param name="settings">Configuration keys (<c>Section:Key</c>), passed as <c>Section__Key</c> variables.</param>
    public static ServiceProcess Start(string project, IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var assembly = BuiltAssembly(project);
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        start.Environment["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/');
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in settings)
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;

        var output = new ConcurrentQueue<string>();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) => Keep(output, line.Data);
        process.ErrorDataReceived += (_, line) => Keep(output, line.Data);
        if (!process.Start())
            throw new InvalidOperationException($"{project} did not start.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServiceProcess(project, process, address, output);
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200, failing with the process's output if it exits or times out.</summary>
    public async Task WaitUntilReadyAsync(HttpClient http, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var last = "no answer";
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode}:\n{Tail()}");
            try
            {
                using var response = await http.GetAsync(new Uri(Address, "health/ready"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
                last = $"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}";
            }
            catch (HttpRequestException exception)
            {
                last = exception.Message;
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new TimeoutException($"{Name} was not ready within {timeout.TotalSeconds:0} s ({last}):\n{Tail()}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    /// <summary>The service's own build output, in the configuration this test assembly was built in.</summary>
    private static string BuiltAssembly(string project)
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = framework.Parent!.Name;
        var path = Path.Combine(RepositoryRoot(), "services", project, "bin", configuration, framework.Name, project + ".dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing: build the solution (dotnet build Aggregator.sln -c {configuration}) first.", path);
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Aggregator.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException("Aggregator.sln not found above " + AppContext.BaseDirectory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Keep(ConcurrentQueue<string> output, string? line)
    {
        if (line is null)
            return;
        output.Enqueue(line);
        while (output.Count > 400)
            output.TryDequeue(out _);
    }
}

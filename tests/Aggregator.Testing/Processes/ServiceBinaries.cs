namespace Aggregator.Testing.Processes;

/// <summary>The built service programs of this repository, found from the test assembly's own output folder.</summary>
public static class ServiceBinaries
{
    /// <summary>
    /// <c>services/{service}/bin/{configuration}/{framework}/{service}.dll</c>, of the configuration and framework the
    /// tests were built with. A test project that starts services references their projects (without their assemblies),
    /// so that building the tests builds them.
    /// </summary>
    public static string Locate(string service)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = output.Name;
        var configuration = output.Parent?.Name
            ?? throw new InvalidOperationException($"Cannot tell the build configuration from {output.FullName}.");
        var dll = Path.Combine(RepositoryRoot(), "services", service, "bin", configuration, framework, service + ".dll");
        return File.Exists(dll)
            ? dll
            : throw new InvalidOperationException($"{dll} is missing: build it (dotnet build services/{service} -c {configuration}).");
    }

    /// <summary>The folder holding <c>Aggregator.sln</c>, above the test assembly's output folder.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Aggregator.sln")))
                return directory.FullName;
        }

        throw new InvalidOperationException($"No Aggregator.sln above {AppContext.BaseDirectory}.");
    }
}

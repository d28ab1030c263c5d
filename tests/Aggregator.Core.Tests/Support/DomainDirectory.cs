namespace Aggregator.Core.Tests.Support;

/// <summary>
/// The shared domain folder (forms.json, transcribed seeds, real reports): AGGREGATOR_DOMAIN_DIR, else the first
/// ancestor of the test binaries that has shared/domain/forms.json.
/// </summary>
public static class DomainDirectory
{
    private static readonly Lazy<string> Located = new(Locate);

    public static string Path => Located.Value;

    public static string File(string relativePath) => System.IO.Path.Combine(Path, relativePath);

    public static string Read(string relativePath) => System.IO.File.ReadAllText(File(relativePath));

    private static string Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("AGGREGATOR_DOMAIN_DIR");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return System.IO.File.Exists(System.IO.Path.Combine(fromEnvironment, "forms.json"))
                ? fromEnvironment
                : throw new InvalidOperationException($"AGGREGATOR_DOMAIN_DIR={fromEnvironment} has no forms.json.");
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = System.IO.Path.Combine(directory.FullName, "shared", "domain");
            if (System.IO.File.Exists(System.IO.Path.Combine(candidate, "forms.json")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"The domain folder was not found: set AGGREGATOR_DOMAIN_DIR or place shared/domain/forms.json in an ancestor of {AppContext.BaseDirectory}.");
    }
}

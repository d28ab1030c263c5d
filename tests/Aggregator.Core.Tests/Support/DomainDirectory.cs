namespace Aggregator.Core.Tests.Support;

/// <summary>
/// The domain test material (forms.json, transcribed seeds, real reports) of tests/TestData/domain, copied beside
/// the test binaries by the project file.
/// </summary>
public static class DomainDirectory
{
    private static readonly Lazy<string> Located = new(Locate);

    public static string Path => Located.Value;

    public static string File(string relativePath) => System.IO.Path.Combine(Path, relativePath);

    public static string Read(string relativePath) => System.IO.File.ReadAllText(File(relativePath));

    private static string Locate()
    {
        var directory = System.IO.Path.Combine(AppContext.BaseDirectory, "domain");
        return System.IO.File.Exists(System.IO.Path.Combine(directory, "forms.json"))
            ? directory
            : throw new InvalidOperationException($"{directory} has no forms.json: the build copies tests/TestData/domain there.");
    }
}

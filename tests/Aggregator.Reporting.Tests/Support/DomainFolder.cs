namespace Aggregator.Reporting.Tests.Support;

/// <summary>
/// The domain test material (forms, transcribed seeds) of tests/TestData/domain, copied beside the test binaries by
/// the project file.
/// </summary>
public static class DomainFolder
{
    private static readonly Lazy<string> Located = new(Locate);

    public static string Path => Located.Value;

    public static string File(string relativePath) => System.IO.Path.Combine(Path, relativePath);

    private static string Locate()
    {
        var folder = System.IO.Path.Combine(AppContext.BaseDirectory, "domain");
        return System.IO.File.Exists(System.IO.Path.Combine(folder, "forms.json"))
            ? folder
            : throw new InvalidOperationException($"{folder} has no forms.json: the build copies tests/TestData/domain there.");
    }
}

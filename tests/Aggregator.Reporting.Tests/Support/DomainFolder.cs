namespace Aggregator.Reporting.Tests.Support;

/// <summary>Finds the shared domain folder (forms, transcribed seeds) that the tests read.</summary>
public static class DomainFolder
{
    private static readonly Lazy<string?> Located = new(Locate);

    /// <summary>The folder, or null when it cannot be found from here.</summary>
    public static string? Path => Located.Value;

    /// <summary>A file of the domain folder; skips the calling test when the folder cannot be found.</summary>
    public static string File(string relativePath)
    {
        if (Path is null)
        {
            Assert.Skip("The shared domain folder was not found: set AGGREGATOR_DOMAIN_DIR or run below a folder holding shared/domain/forms.json.");
        }

        return System.IO.Path.Combine(Path, relativePath);
    }

    private static string? Locate()
    {
        var configured = Environment.GetEnvironmentVariable("AGGREGATOR_DOMAIN_DIR");
        if (!string.IsNullOrWhiteSpace(configured) && System.IO.File.Exists(System.IO.Path.Combine(configured, "forms.json")))
        {
            return configured;
        }

        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = System.IO.Path.Combine(folder.FullName, "shared", "domain");
            if (System.IO.File.Exists(System.IO.Path.Combine(candidate, "forms.json")))
            {
                return candidate;
            }
        }

        return null;
    }
}

using Aggregator.Application.Security;

namespace Aggregator.Cli.Hosting;

/// <summary>The admin key that <c>serve</c> keeps in a file readable by its owner only.</summary>
public static class AdminKeyFile
{
    public const string DefaultPath = "aggregator-admin.key";

    /// <summary>The key stored at <paramref name="path"/>, or a new one written there.</summary>
    public static async Task<string> ReadOrCreateAsync(string path, CancellationToken ct)
    {
        if (File.Exists(path) && (await File.ReadAllTextAsync(path, ct)).Trim() is { } stored && ApiKeyText.TryParse(stored, out _))
        {
            return stored;
        }

        File.Delete(path);
        var key = ApiKeyText.Generate();
        // Created with its final mode, so that no other user can read it between creation and a later chmod.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var stream = new FileStream(path, options))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteLineAsync(key.AsMemory(), ct);
        }

        return key;
    }
}

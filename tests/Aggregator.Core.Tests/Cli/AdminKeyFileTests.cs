using Aggregator.Cli.Hosting;
using Aggregator.Core.Tests.Support;

namespace Aggregator.Core.Tests.Cli;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AdminKeyFileTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_new_admin_key_file_is_created_readable_by_its_owner_only()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, AdminKeyFile.DefaultPath);

        var key = await AdminKeyFile.ReadOrCreateAsync(path, Token);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(key, (await File.ReadAllTextAsync(path, Token)).Trim());
    }

    [Fact]
    public async Task A_stored_key_is_reused_and_an_unreadable_one_is_replaced_by_a_private_file()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, AdminKeyFile.DefaultPath);
        var first = await AdminKeyFile.ReadOrCreateAsync(path, Token);
        var reused = await AdminKeyFile.ReadOrCreateAsync(path, Token);
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
        await File.WriteAllTextAsync(path, "not a key", Token);

        var replaced = await AdminKeyFile.ReadOrCreateAsync(path, Token);

        Assert.Equal(first, reused);
        Assert.NotEqual(first, replaced);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }
}

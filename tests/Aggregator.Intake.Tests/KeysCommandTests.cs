using System.Net;
using Aggregator.Intake.Tests.Support;
using Aggregator.Testing.Databases;

namespace Aggregator.Intake.Tests;

/// <summary>Tests that set process environment variables run alone, so that no other host reads them.</summary>
[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment;

/// <summary><c>aggregator keys issue|list|revoke</c> against the database the environment names.</summary>
[Collection(nameof(ProcessEnvironment))]
public sealed class KeysCommandTests : IAsyncLifetime
{
    private readonly Dictionary<string, string?> _saved = [];
    private TestDatabase? _database;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabases.SqliteAsync();
        Set("Database__Provider", "sqlite");
        Set("Database__ConnectionString", _database.ConnectionString);
    }

    [Fact]
    public async Task The_first_admin_key_is_printed_once_and_opens_the_api()
    {
        var (exit, output, error) = await RunAsync("keys", "issue", "--role", "admin", "--label", "区政府办公室");

        Assert.Equal(0, exit);
        var key = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Matches("^agk_[a-z0-9]{8}_[A-Za-z0-9]{43}$", key);
        Assert.DoesNotContain(key, error, StringComparison.Ordinal);
        await using var host = await ApiHost.StartAsync(_database!);
        _database = null;
        using var response = await host.GetAsync("/api/v1/audit", key);
        var audit = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(audit["items"]!.AsArray(), item => item!["action"]!.GetValue<string>() == "api_key.issued" && item["actor"]!.GetValue<string>() == "cli");
    }

    [Fact]
    public async Task A_revoked_key_is_listed_as_revoked_and_refused()
    {
        var (_, issued, _) = await RunAsync("keys", "issue", "--role", "ops");
        var key = issued.Trim();
        var (_, listed, _) = await RunAsync("keys", "list");
        var id = listed.Split('\t')[0];

        var (exit, _, _) = await RunAsync("keys", "revoke", id);
        var (_, afterwards, _) = await RunAsync("keys", "list");

        Assert.Equal(0, exit);
        Assert.Contains("revoked", afterwards, StringComparison.Ordinal);
        Assert.DoesNotContain(key[13..], listed + afterwards, StringComparison.Ordinal);
        await using var host = await ApiHost.StartAsync(_database!);
        _database = null;
        using var response = await host.GetAsync("/api/v1/units", key);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData(new[] { "keys", "issue" }, "--unit")]
    [InlineData(new[] { "keys", "issue", "--role", "admin", "--unit", "U1" }, "--unit")]
    [InlineData(new[] { "keys", "issue", "--role", "unit" }, "unit")]
    [InlineData(new[] { "keys", "issue", "--unit", "NOPE" }, "尚未登记")]
    [InlineData(new[] { "keys", "issue", "--unit", "x'; DROP TABLE api_keys; --" }, "格式不正确")]
    [InlineData(new[] { "keys", "revoke", "01a20a21-0ad7-7b95-a391-dda0785344d7" }, "没有有效的密钥")]
    public async Task A_wrong_request_exits_with_2_and_says_why(string[] args, string expected)
    {
        var (exit, output, error) = await RunAsync(args);

        Assert.Equal(2, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("agk_", output, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await Aggregator.Cli.Program.RunAsync(args, output, error, TestContext.Current.CancellationToken);
        return (exit, output.ToString(), error.ToString());
    }

    private void Set(string name, string value)
    {
        _saved.TryAdd(name, Environment.GetEnvironmentVariable(name));
        Environment.SetEnvironmentVariable(name, value);
    }
}

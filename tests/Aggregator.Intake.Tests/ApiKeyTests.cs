using System.Net;
using System.Text.RegularExpressions;
using Aggregator.Application.Security;
using Aggregator.Intake.Tests.Support;
using Aggregator.Storage.ApiKeys;
using Aggregator.Storage.Connections;
using Aggregator.Testing.Databases;
using Dapper;

namespace Aggregator.Intake.Tests;

/// <summary>Keys: issued from a CSPRNG, stored only as hashes, checked in constant time, revocable, never logged.</summary>
public sealed partial class ApiKeyTests
{
    [Fact]
    public async Task An_issued_key_is_shown_once_and_stored_only_as_its_hash()
    {
        await using var host = await ApiHost.StartOnSqliteAsync();

        var issued = await host.PostOkAsync("/api/v1/keys", host.AdminKey, new { role = "ops", label = "值班" }, HttpStatusCode.Created);

        var key = issued["key"]!.GetValue<string>();
        Assert.Matches(KeyPattern(), key);
        Assert.Equal(key[4..12], issued["prefix"]!.GetValue<string>());
        await using var connection = await host.Services.Get<IDbConnectionFactory>().OpenAsync();
        var rows = (await connection.QueryAsync<(string Prefix, string Hash)>("SELECT key_prefix, key_hash FROM api_keys")).ToList();
        Assert.DoesNotContain(rows, row => row.Hash.Contains(key[13..], StringComparison.Ordinal) || row.Prefix.Contains(key[13..], StringComparison.Ordinal));
        var row = rows.Single(r => r.Prefix == key[4..12]);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key))), row.Hash);
        using var list = await host.GetAsync("/api/v1/keys", host.AdminKey);
        var listed = await list.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain(key[13..], listed, StringComparison.Ordinal);
        Assert.DoesNotContain(row.Hash, listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_works_in_either_header_and_not_after_revocation()
    {
        await using var host = await ApiHost.StartOnSqliteAsync();
        var issued = await host.PostOkAsync("/api/v1/keys", host.AdminKey, new { role = "ops" }, HttpStatusCode.Created);
        var key = issued["key"]!.GetValue<string>();

        using var bearer = await host.GetAsync("/api/v1/units", key);
        using var header = await host.SendAsync(Request.Get("/api/v1/units").WithHeader("X-Api-Key", key));
        using var revoke = await host.SendAsync(Request.Delete($"/api/v1/keys/{issued["id"]}").WithKey(host.AdminKey));
        using var afterwards = await host.GetAsync("/api/v1/units", key);
        using var revokeAgain = await host.SendAsync(Request.Delete($"/api/v1/keys/{issued["id"]}").WithKey(host.AdminKey));

        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, header.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterwards.StatusCode);
        Assert.Contains("吊销", (await afterwards.ProblemAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, revokeAgain.StatusCode);
    }

    [Fact]
    public async Task Keys_never_reach_the_logs()
    {
        var logs = new CapturedLogs();
        await using var host = await ApiHost.StartOnSqliteAsync(logs: logs);
        var valid = await host.IssueKeyAsync("ops");
        var unknown = ApiKeyText.Generate();
        var wrongSecret = host.AdminKey[..13] + new string('Z', 43);
        var garbage = "not-a-key-" + Guid.NewGuid().ToString("N");

        foreach (var key in new[] { valid, unknown, wrongSecret, garbage, host.AdminKey })
        {
            using var bearer = await host.GetAsync("/api/v1/units?probe=1", key);
            using var header = await host.SendAsync(Request.Post("/api/v1/units").WithJson("[]").WithHeader("X-Api-Key", key));
        }

        var lines = logs.Lines;
        Assert.Contains(lines, line => line.Contains("API key refused", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("/api/v1/units", StringComparison.Ordinal));
        foreach (var secret in new[] { valid[13..], unknown[13..], host.AdminKey[13..], garbage })
        {
            Assert.DoesNotContain(lines, line => line.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_bootstrap_admin_key_is_stored_once_across_restarts()
    {
        await using var database = await TestDatabases.SqliteAsync();
        var key = ApiKeyText.Generate();
        var settings = new Dictionary<string, string?>(database.Settings) { ["Auth:BootstrapAdminKey"] = key };

        for (var start = 0; start < 2; start++)
        {
            await using var factory = new IntakeApiFactory(settings);
            using var client = factory.CreateClient();
            using var response = await client.SendAsync(Request.Get("/api/v1/units").WithKey(key), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var stored = await new ApiKeyRepository(database.CreateConnectionFactory(), new Aggregator.Storage.StorageClock(TimeProvider.System)).ListAsync(CancellationToken.None);
        var only = Assert.Single(stored);
        Assert.Equal("admin", only.Role);
        Assert.Equal(key[4..12], only.KeyPrefix);
    }

    [Fact]
    public async Task A_malformed_bootstrap_key_stops_start_up_without_being_quoted()
    {
        await using var database = await TestDatabases.SqliteAsync();
        const string secret = "letmein-0123456789";
        await using var factory = new IntakeApiFactory(new Dictionary<string, string?>(database.Settings) { ["Auth:BootstrapAdminKey"] = secret });

        var failure = Record.Exception(() => factory.CreateClient());

        Assert.NotNull(failure);
        Assert.Contains("Auth:BootstrapAdminKey", failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_keys_have_the_documented_shape_and_do_not_repeat()
    {
        var keys = Enumerable.Range(0, 1000).Select(_ => ApiKeyText.Generate()).ToList();

        Assert.All(keys, key => Assert.Matches(KeyPattern(), key));
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(keys.Count, keys.Select(k => k[4..12]).Distinct(StringComparer.Ordinal).Count());
        // Every character of the alphabet turns up: the secret is not drawn from a narrow range.
        Assert.Equal(62, keys.SelectMany(k => k[13..]).Distinct().Count());
    }

    [Theory]
    [InlineData("")]
    [InlineData("agk_")]
    [InlineData("agk_abcd1234")]
    [InlineData("agk_abcd1234_")]
    [InlineData("agk_ABCD1234_secret")]
    [InlineData("agk_abcd123_secret")]
    [InlineData("agk_abcd12345_secret")]
    [InlineData("xyz_abcd1234_secret")]
    [InlineData("agk_abcd1234_sec ret")]
    [InlineData("agk_abcd1234_sec_ret")]
    [InlineData("agk_abcd1234_密钥")]
    public void Text_not_shaped_like_a_key_is_refused_before_any_lookup(string text) =>
        Assert.False(ApiKeyText.TryParse(text, out _));

    [Fact]
    public void A_key_matches_only_its_own_hash()
    {
        var key = ApiKeyText.Generate();
        var other = ApiKeyText.Generate();

        Assert.True(ApiKeyText.Matches(key, ApiKeyText.Hash(key)));
        Assert.False(ApiKeyText.Matches(other, ApiKeyText.Hash(key)));
        Assert.False(ApiKeyText.Matches(key, ApiKeyText.Hash(key)[..^2]));
        Assert.False(ApiKeyText.Matches(key, "not hex at all"));
        Assert.True(ApiKeyText.TryParse(key, out var prefix));
        Assert.Equal(key[4..12], prefix);
    }

    [GeneratedRegex("^agk_[a-z0-9]{8}_[A-Za-z0-9]{43}$")]
    private static partial Regex KeyPattern();
}

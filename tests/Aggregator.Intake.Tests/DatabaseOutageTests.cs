using System.Net;
using Aggregator.Application.Security;
using Aggregator.Intake.Tests.Support;
using Aggregator.Testing.Databases;
using Aggregator.Testing.Waiting;
using Microsoft.Data.Sqlite;

namespace Aggregator.Intake.Tests;

/// <summary>A real database that goes away while the API runs: every request says "try again later", none says "bug".</summary>
public sealed class DatabaseOutageTests
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(30);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_stopped_postgres_server_gives_503_database_unavailable_with_retry_after_and_2xx_again_after_restart()
    {
        await using var cluster = await PrivatePostgres.StartAsync(Token);
        var database = await cluster.CreateDatabaseAsync(Token);
        var adminKey = ApiKeyText.Generate();
        var logs = new CapturedLogs();
        await using var factory = new IntakeApiFactory(
            new Dictionary<string, string?>(database.Settings) { ["Auth:BootstrapAdminKey"] = adminKey }, logs);
        using var client = factory.CreateClient();
        await AssertStatusAsync(client, adminKey, HttpStatusCode.OK);

        await cluster.StopServerAsync(Token);
        foreach (var path in new[] { "/api/v1/units", "/api/v1/periods" })
        {
            using var response = await client.SendAsync(Request.Get(path).WithKey(adminKey), Token);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("database_unavailable", (await response.ProblemAsync())["code"]!.GetValue<string>());
            Assert.True(response.Headers.RetryAfter is not null, $"{path} answered 503 without Retry-After");
        }

        using (var ready = await client.GetAsync("/health/ready", Token))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        Assert.DoesNotContain(logs.Lines, line => line.Contains("Unhandled exception", StringComparison.Ordinal));

        await cluster.StartServerAsync(Token);
        await Poll.UntilAsync(
            async token =>
            {
                using var response = await client.SendAsync(Request.Get("/api/v1/units").WithKey(adminKey), token);
                return response.StatusCode == HttpStatusCode.OK;
            },
            "the API to answer 200 after the database restarted", Recovery, Token);
    }

    [Fact]
    public async Task An_embedded_database_file_that_cannot_be_opened_gives_503_database_unavailable_and_2xx_once_it_is_back()
    {
        var directory = Directory.CreateTempSubdirectory("aggregator-outage-").FullName;
        var moved = directory + "-away";
        try
        {
            var path = Path.Combine(directory, "aggregator.db");
            var adminKey = ApiKeyText.Generate();
            await using var factory = new IntakeApiFactory(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "sqlite",
                ["Database:ConnectionString"] = new SqliteConnectionStringBuilder { DataSource = path }.ToString(),
                ["Auth:BootstrapAdminKey"] = adminKey,
            });
            using var client = factory.CreateClient();
            await AssertStatusAsync(client, adminKey, HttpStatusCode.OK);

            // The volume goes away: pooled handles would keep the old file open, so they go too.
            SqliteConnection.ClearAllPools();
            Directory.Move(directory, moved);
            await AssertStatusAsync(client, adminKey, HttpStatusCode.ServiceUnavailable, "database_unavailable");

            Directory.Move(moved, directory);
            await AssertStatusAsync(client, adminKey, HttpStatusCode.OK);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var leftover in new[] { directory, moved }.Where(Directory.Exists))
            {
                Directory.Delete(leftover, recursive: true);
            }
        }
    }

    private static async Task AssertStatusAsync(HttpClient client, string key, HttpStatusCode expected, string? code = null)
    {
        using var response = await client.SendAsync(Request.Get("/api/v1/units").WithKey(key), Token);
        Assert.Equal(expected, response.StatusCode);
        if (code is not null)
        {
            Assert.Equal(code, (await response.ProblemAsync())["code"]!.GetValue<string>());
            Assert.NotNull(response.Headers.RetryAfter);
        }
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Aggregator.Intake.Tests.Support;
using Aggregator.Testing.Databases;

namespace Aggregator.Intake.Tests;

/// <summary>
/// Two API processes over one PostgreSQL database (AGGREGATOR_TEST_POSTGRES): an <c>Idempotency-Key</c> holds across
/// them, because the key is reserved in the database before the request runs. Skipped, with the reason, without PostgreSQL.
/// </summary>
public sealed class CrossProcessIdempotencyTests(TwoApiProcesses processes) : IClassFixture<TwoApiProcesses>
{
    private const string Header = "Idempotency-Key";

    [Fact]
    public async Task The_same_key_and_body_sent_to_two_processes_at_once_store_one_version_and_one_answer()
    {
        var (world, second) = await processes.GetAsync();
        const int rounds = 25;
        var before = await world.Host.SnapshotAsync();
        var keys = new List<(string Key, JsonNode Document, string Body)>();
        var inProgress = 0;

        for (var round = 0; round < rounds; round++)
        {
            var key = Guid.NewGuid().ToString();
            var document = Documents.Valid("U2", seed: 100 + round);
            var hosts = new[] { world.Host, second, world.Host, second };
            var responses = await Task.WhenAll(hosts.Select(host => Task.Run(() => host.SendAsync(Submit(world, document, key)))));

            var accepted = new List<string>();
            foreach (var response in responses)
            {
                using (response)
                {
                    var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                    if (response.StatusCode == HttpStatusCode.Conflict)
                    {
                        inProgress++;
                        await AssertInProgressAsync(response, text);
                    }
                    else
                    {
                        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"Round {round}: expected 202 or 409, got {(int)response.StatusCode}: {text}");
                        accepted.Add(text);
                    }
                }
            }

            Assert.NotEmpty(accepted);
            Assert.Single(accepted.Distinct());
            keys.Add((key, document, accepted[0]));
        }

        var after = await world.Host.SnapshotAsync();
        Assert.Equal(before["submission_versions"] + rounds, after["submission_versions"]);
        Assert.Equal(before["idempotency_keys"] + rounds, after["idempotency_keys"]);

        // Whatever answered first, a later retry to either process replays the one stored response.
        for (var round = 0; round < rounds; round++)
        {
            var (key, document, body) = keys[round];
            using var retry = await (round % 2 == 0 ? second : world.Host).SendAsync(Submit(world, document, key));
            Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
            Assert.Equal(body, await retry.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        Assert.Equal(after["submission_versions"], (await world.Host.SnapshotAsync())["submission_versions"]);
        TestContext.Current.SendDiagnosticMessage($"{inProgress} of {rounds * 4} concurrent requests were answered 409 in progress.");
    }

    [Fact]
    public async Task A_request_refused_by_one_process_frees_the_key_for_the_corrected_request_in_the_other()
    {
        var (world, second) = await processes.GetAsync();
        var key = Guid.NewGuid().ToString();
        var before = await world.Host.SnapshotAsync();

        using var refused = await world.Host.SendAsync(Submit(world, Documents.Valid("U2").WithCell(Documents.CountCell, -1), key));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Empty((await world.Host.SnapshotAsync()).DifferencesFrom(before));

        using var corrected = await second.SendAsync(Submit(world, Documents.Valid("U2", seed: 99), key));
        await corrected.ExpectAsync(HttpStatusCode.Accepted);
    }

    private static async Task AssertInProgressAsync(HttpResponseMessage response, string text)
    {
        Assert.True(response.Headers.RetryAfter?.Delta is { } delta && delta > TimeSpan.Zero, $"A 409 in progress needs Retry-After: {text}");
        Assert.Equal("conflict", (await response.ProblemAsync())["code"]!.GetValue<string>());
    }

    private static HttpRequestMessage Submit(World world, JsonNode document, string key) =>
        Request.Post($"/api/v1/periods/{world.OpenPeriod}/submissions").WithJson(document).WithKey(world.U2Key).WithHeader(Header, key);
}

/// <summary>A seeded world over PostgreSQL plus a second API process over the same database, started by the first test.</summary>
public sealed class TwoApiProcesses : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private World? _world;
    private ApiHost? _second;

    /// <summary>The world (first process) and the second process, or skips the calling test without PostgreSQL.</summary>
    public async Task<(World World, ApiHost Second)> GetAsync()
    {
        await _gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (_world is null)
            {
                var world = new World();
                await world.StartAsync(await TestDatabases.PostgresAsync(), new Dictionary<string, string?>());
                _world = world;
            }

            _second ??= await ApiHost.StartAlongsideAsync(_world.Host);
            return (_world, _second);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_second is not null)
        {
            await _second.DisposeAsync();
        }

        if (_world is not null)
        {
            await _world.DisposeAsync();
        }

        _gate.Dispose();
    }
}

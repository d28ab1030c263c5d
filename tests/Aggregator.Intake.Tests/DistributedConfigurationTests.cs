using System.Net;
using Aggregator.Intake.Tests.Support;
using Aggregator.Storage.Connections;
using Aggregator.Testing.Brokers;
using Aggregator.Testing.Databases;
using Aggregator.Testing.Waiting;
using Dapper;

namespace Aggregator.Intake.Tests;

/// <summary>
/// The distributed configuration: the API over PostgreSQL (AGGREGATOR_TEST_POSTGRES) publishing through RabbitMQ
/// (AGGREGATOR_TEST_RABBITMQ). Skipped, with the reason, where either is missing.
/// </summary>
public sealed class DistributedConfigurationTests(DistributedWorld distributed) : IClassFixture<DistributedWorld>
{
    public static TheoryData<string> Cases =>
    [
        "revoked key", "unit key submitting for another unit", "closed period", "wrong year", "duplicated cell id",
        "negative count", "huge number", "invalid UTF-8", "10 MB body", "200-deep nesting", "SQL-looking unit code",
        "second period of a root and year", "dry run of a valid table",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_hostile_request_gets_the_same_answer_over_postgres_and_rabbitmq(string name)
    {
        var world = await distributed.GetAsync();
        var hostile = HostileCases.All[name];
        var before = await world.Host.SnapshotAsync();

        using var response = await world.Host.SendAsync(hostile.Build(world));

        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True((int)response.StatusCode == hostile.Status, $"{name}: expected {hostile.Status}, got {(int)response.StatusCode}: {body}");
        if (hostile.Code is not null)
        {
            Assert.Equal(hostile.Code, (await response.ProblemAsync())["code"]!.GetValue<string>());
        }

        Assert.Empty((await world.Host.SnapshotAsync()).DifferencesFrom(before));
    }

    [Fact]
    public async Task A_stored_submission_is_announced_through_the_broker()
    {
        var world = await distributed.GetAsync();

        var receipt = await world.Host.PostOkAsync($"/api/v1/periods/{world.OpenPeriod}/submissions", world.U2Key, Documents.Valid("U2"), HttpStatusCode.Accepted);

        var connections = world.Host.Services.Get<IDbConnectionFactory>();
        long pending = -1;
        await Poll.UntilAsync(
            async token =>
            {
                await using var connection = await connections.OpenAsync(token);
                pending = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL AND payload LIKE @Id",
                    new { Id = $"%{receipt["submission_id"]}%" },
                    cancellationToken: token));
                return pending == 0;
            },
            "the submission's outbox row published",
            TimeSpan.FromSeconds(20),
            TestContext.Current.CancellationToken,
            () => $"{pending} unpublished");
        using var ready = await world.Host.GetAsync("/health/ready", null);
        var health = await ready.ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(health["checks"]!.AsArray(), check => check!["name"]!.GetValue<string>() == "database" && check["status"]!.GetValue<string>() == "Healthy");
    }

    [Fact]
    public async Task An_idempotent_retry_is_replayed_from_postgres()
    {
        var world = await distributed.GetAsync();
        var key = Guid.NewGuid().ToString();
        var before = await world.Host.SnapshotAsync();

        using var first = await world.Host.SendAsync(Request.Post($"/api/v1/periods/{world.OpenPeriod}/submissions").WithJson(Documents.Valid("U2", seed: 9)).WithKey(world.U2Key).WithHeader("Idempotency-Key", key));
        using var second = await world.Host.SendAsync(Request.Post($"/api/v1/periods/{world.OpenPeriod}/submissions").WithJson(Documents.Valid("U2", seed: 9)).WithKey(world.U2Key).WithHeader("Idempotency-Key", key));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(before["submission_versions"] + 1, (await world.Host.SnapshotAsync())["submission_versions"]);
    }
}

/// <summary>One seeded world over PostgreSQL and a RabbitMQ virtual host of its own, started by the first test that needs it.</summary>
public sealed class DistributedWorld : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private World? _world;
    private TestBroker? _broker;

    /// <summary>The started world, or skips the calling test when PostgreSQL or RabbitMQ is not available.</summary>
    public async Task<World> GetAsync()
    {
        await _gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (_world is not null)
            {
                return _world;
            }

            var database = await TestDatabases.PostgresAsync();
            try
            {
                _broker ??= await TestBroker.CreateAsync(TestContext.Current.CancellationToken);
            }
            catch
            {
                await database.DisposeAsync();
                throw;
            }

            var world = new World();
            await world.StartAsync(database, new Dictionary<string, string?>(_broker.MessagingSettings())
            {
                ["Messaging:Outbox:SweepInterval"] = "00:00:01",
            });
            _world = world;
            return world;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_world is not null)
        {
            await _world.DisposeAsync();
        }

        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        _gate.Dispose();
    }
}

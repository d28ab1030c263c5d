using Aggregator.Testing;
using Aggregator.Testing.Brokers;
using Aggregator.Testing.Databases;
using Aggregator.Testing.Waiting;

namespace Aggregator.Storage.Tests;

/// <summary>The test fixtures themselves: a configured service that is down fails, it never skips quietly.</summary>
public sealed class TestServicesTests
{
    private const string DeadPostgres = "Host=127.0.0.1;Port=1;Username=postgres;Password=unused;Database=postgres";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_configured_PostgreSQL_server_on_a_dead_port_fails_instead_of_skipping()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestDatabases.TryPostgresAsync(DeadPostgres));

        Assert.Contains(TestDatabases.PostgresVariable + " is set", error.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("unused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configured_SQL_Server_on_a_dead_port_fails_instead_of_skipping()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => TestDatabases.TrySqlServerAsync("Server=127.0.0.1,1;User ID=sa;Password=unused;Connect Timeout=2"));

        Assert.Contains(TestDatabases.SqlServerVariable + " is set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configured_RabbitMQ_broker_whose_management_API_is_down_fails_instead_of_skipping()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => TestBroker.CreateAsync(new Uri("amqp://guest:guest@127.0.0.1:1/"), new Uri("http://127.0.0.1:1/"), Token));

        Assert.Contains("management API at http://127.0.0.1:1/", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("1")]
    public void A_CI_run_allows_no_skip_but_SQL_Server_without_Docker(string ci)
    {
        Assert.NotNull(Skips.ForbiddenReason("PostgreSQL needs AGGREGATOR_TEST_POSTGRES or a Docker engine: no Docker engine was found", ci));
        Assert.NotNull(Skips.ForbiddenReason("Chromium is not installed", ci));
        Assert.Null(Skips.ForbiddenReason(Skips.SqlServerNeedsDocker + " (or AGGREGATOR_TEST_SQLSERVER): no Docker engine was found", ci));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("false")]
    public void Outside_CI_a_skip_for_a_missing_service_is_allowed(string? ci)
    {
        Assert.Null(Skips.ForbiddenReason("PostgreSQL needs AGGREGATOR_TEST_POSTGRES or a Docker engine", ci));
    }

    [Fact]
    public async Task Polling_gives_up_at_its_timeout_and_says_what_it_waited_for()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<TimeoutException>(
            () => Poll.UntilAsync(() => false, "the answer to be 42", TimeSpan.FromMilliseconds(200), Token, () => "41"));

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));
        Assert.Contains("waiting for the answer to be 42; last seen: 41", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Polling_returns_the_value_once_the_probe_answers_one()
    {
        var calls = 0;

        var value = await Poll.ForAsync(_ => Task.FromResult(++calls >= 3 ? "ready" : null), "the third call", TimeSpan.FromSeconds(5), Token);

        Assert.Equal(("ready", 3), (value, calls));
    }
}

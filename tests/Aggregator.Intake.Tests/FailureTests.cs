using System.Data.Common;
using System.Net;
using Aggregator.Application.Security;
using Aggregator.Intake.Tests.Support;
using Aggregator.Storage;
using Aggregator.Storage.Connections;
using Aggregator.Testing.Databases;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Intake.Tests;

/// <summary>Failures that are not the caller's fault: still problem documents, never a stack trace, and the readiness probe says so.</summary>
public sealed class FailureTests : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private readonly string _adminKey = ApiKeyText.Generate();
    private TestDatabase? _database;
    private SwitchableConnections? _connections;
    private IntakeApiFactory? _factory;
    private HttpClient? _client;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabases.SqliteAsync();
        _connections = new SwitchableConnections(_database.CreateConnectionFactory());
        _factory = new IntakeApiFactory(
            new Dictionary<string, string?>(_database.Settings) { ["Auth:BootstrapAdminKey"] = _adminKey },
            _logs,
            services => services.AddSingleton<IDbConnectionFactory>(_connections));
        _client = _factory.CreateClient();
        using var ready = await _client.SendAsync(Request.Get("/api/v1/units").WithKey(_adminKey), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task An_unexpected_failure_is_a_500_problem_without_internals()
    {
        _connections!.Failure = new InvalidOperationException("boom: internal detail at Server=db;Password=hunter2");

        using var response = await _client!.SendAsync(Request.Get("/api/v1/units").WithKey(_adminKey), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.Equal("internal_error", problem["code"]!.GetValue<string>());
        var text = problem.ToJsonString();
        Assert.DoesNotContain("boom", text, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", text, StringComparison.Ordinal);
        // The operator finds the cause in the log.
        Assert.Contains(_logs.Lines, line => line.StartsWith("Error", StringComparison.Ordinal) && line.Contains("boom", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unreachable_database_is_a_503_problem_with_retry_after()
    {
        _connections!.Failure = new DatabaseUnavailableException("postgres database 'agg' on db:5432 does not answer");

        using var response = await _client!.SendAsync(Request.Get("/api/v1/units").WithKey(_adminKey), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("database_unavailable", (await response.ProblemAsync())["code"]!.GetValue<string>());
        Assert.Equal("5", response.Headers.GetValues("Retry-After").Single());
    }

    [Fact]
    public async Task The_readiness_probe_follows_the_database()
    {
        using var healthy = await _client!.GetAsync("/health/ready", TestContext.Current.CancellationToken);
        _connections!.Failure = new DatabaseUnavailableException("the database does not answer");
        using var unhealthy = await _client.GetAsync("/health/ready", TestContext.Current.CancellationToken);
        using var live = await _client.GetAsync("/health/live", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unhealthy.StatusCode);
        Assert.Contains("database", await unhealthy.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    /// <summary>The real connection factory, until a test makes every open fail.</summary>
    private sealed class SwitchableConnections(IDbConnectionFactory inner) : IDbConnectionFactory
    {
        public Exception? Failure { get; set; }

        public DatabaseProvider Provider => inner.Provider;

        public string Description => inner.Description;

        public Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
            Failure is { } failure ? Task.FromException<DbConnection>(failure) : inner.OpenAsync(cancellationToken);
    }
}

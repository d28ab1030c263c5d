using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aggregator.Application.Security;
using Aggregator.Storage.Connections;
using Aggregator.Testing.Databases;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Intake.Tests.Support;

/// <summary>A running API over a test database, with its bootstrap admin key and helpers to call it.</summary>
public sealed class ApiHost : IAsyncDisposable
{
    private readonly IntakeApiFactory _factory;
    private readonly TestDatabase _database;
    private readonly bool _ownsDatabase;

    private ApiHost(IntakeApiFactory factory, TestDatabase database, bool ownsDatabase, string adminKey, CapturedLogs logs, bool listen)
    {
        Logs = logs;
        _factory = factory;
        _database = database;
        _ownsDatabase = ownsDatabase;
        AdminKey = adminKey;
        var options = new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false };
        if (listen)
        {
            factory.UseKestrel(0);
            factory.StartServer();
            options.BaseAddress = new Uri(factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
                .First(address => address.StartsWith("http://", StringComparison.Ordinal)));
        }

        Client = factory.CreateClient(options);
    }

    public string AdminKey { get; }

    public CapturedLogs Logs { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _factory.Services;

    public TestDatabase Database => _database;

    /// <summary>Where the API listens; a loopback port only for a host started with <see cref="StartListeningAsync"/>.</summary>
    public Uri Address => Client.BaseAddress!;

    /// <summary>Starts the API on <paramref name="database"/> (owned and dropped by the host) with the embedded defaults plus <paramref name="settings"/>.</summary>
    public static Task<ApiHost> StartAsync(TestDatabase database, IReadOnlyDictionary<string, string?>? settings = null, CapturedLogs? logs = null) =>
        StartAsync(database, ownsDatabase: true, settings, logs);

    /// <summary>The API on Kestrel on a free loopback port, over SQLite, for clients that make their own connections (the CLI).</summary>
    public static async Task<ApiHost> StartListeningAsync(IReadOnlyDictionary<string, string?>? settings = null) =>
        await StartAsync(await TestDatabases.SqliteAsync(), ownsDatabase: true, settings, logs: null, listen: true);

    /// <summary>Another API process over <paramref name="first"/>'s database, which stays owned by <paramref name="first"/>.</summary>
    public static Task<ApiHost> StartAlongsideAsync(ApiHost first, IReadOnlyDictionary<string, string?>? settings = null) =>
        StartAsync(first.Database, ownsDatabase: false, settings, logs: null);

    private static async Task<ApiHost> StartAsync(
        TestDatabase database, bool ownsDatabase, IReadOnlyDictionary<string, string?>? settings, CapturedLogs? logs, bool listen = false)
    {
        var adminKey = ApiKeyText.Generate();
        var all = new Dictionary<string, string?>(database.Settings)
        {
            ["Auth:BootstrapAdminKey"] = adminKey,
            ["Messaging:Transport"] = "inmemory",
            ["Messaging:Outbox:SweepInterval"] = "00:00:01",
            ["Intake:RateLimit:PermitLimit"] = "100000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        logs ??= new CapturedLogs();
        var factory = new IntakeApiFactory(all, logs);
        var host = new ApiHost(factory, database, ownsDatabase, adminKey, logs, listen);
        // The first request starts the host: migrations and the bootstrap key run then.
        using var ready = await host.Client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        return host;
    }

    public static async Task<ApiHost> StartOnSqliteAsync(IReadOnlyDictionary<string, string?>? settings = null, CapturedLogs? logs = null) =>
        await StartAsync(await TestDatabases.SqliteAsync(), settings, logs);

    public Task<DatabaseSnapshot> SnapshotAsync() => DatabaseSnapshot.TakeAsync(Services.Get<IDbConnectionFactory>());

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => Client.SendAsync(request, TestContext.Current.CancellationToken);

    public Task<HttpResponseMessage> GetAsync(string path, string? key) => SendAsync(Request.Get(path).WithKey(key));

    public Task<HttpResponseMessage> PostJsonAsync(string path, string? key, object body) =>
        SendAsync(Request.Post(path).WithJson(body).WithKey(key));

    /// <summary>POSTs and returns the parsed body, failing with the response text unless the status is <paramref name="expected"/>.</summary>
    public async Task<JsonNode> PostOkAsync(string path, string? key, object body, HttpStatusCode expected)
    {
        using var response = await PostJsonAsync(path, key, body);
        if (response.StatusCode != expected)
        {
            var errors = string.Join("\n", Logs.Lines.Where(line => line.StartsWith("Error", StringComparison.Ordinal) || line.StartsWith("Warning", StringComparison.Ordinal)));
            Assert.Fail($"POST {path}: expected {(int)expected}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{errors}");
        }

        return await response.ExpectAsync(expected);
    }

    public async Task<string> IssueKeyAsync(string role, string? unitCode = null)
    {
        var issued = await PostOkAsync("/api/v1/keys", AdminKey, new { role, unit_code = unitCode, label = $"test {role} {unitCode}" }, HttpStatusCode.Created);
        return issued["key"]!.GetValue<string>();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
        if (_ownsDatabase)
        {
            await _database.DisposeAsync();
        }
    }
}

/// <summary>Request builders that read like the requests they make.</summary>
public static class Request
{
    public static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    public static HttpRequestMessage Post(string path) => new(HttpMethod.Post, path);

    public static HttpRequestMessage Delete(string path) => new(HttpMethod.Delete, path);

    public static HttpRequestMessage Put(string path) => new(HttpMethod.Put, path);

    public static HttpRequestMessage WithKey(this HttpRequestMessage request, string? key)
    {
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
        }

        return request;
    }

    public static HttpRequestMessage WithHeader(this HttpRequestMessage request, string name, string value)
    {
        request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    /// <summary>A JSON body: a string is sent as is, anything else serialised.</summary>
    public static HttpRequestMessage WithJson(this HttpRequestMessage request, object body) =>
        request.WithText(body as string ?? (body is JsonNode node ? node.ToJsonString() : JsonSerializer.Serialize(body)), "application/json");

    public static HttpRequestMessage WithText(this HttpRequestMessage request, string text, string? contentType) =>
        request.WithBytes(Encoding.UTF8.GetBytes(text), contentType);

    public static HttpRequestMessage WithBytes(this HttpRequestMessage request, byte[] bytes, string? contentType)
    {
        var content = new ByteArrayContent(bytes);
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        request.Content = content;
        return request;
    }
}

public static class ResponseExtensions
{
    public static async Task<JsonNode> ExpectAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    /// <summary>The problem document of an error response, checked for the fields every problem must have.</summary>
    public static async Task<JsonObject> ProblemAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal((int)response.StatusCode, problem["status"]!.GetValue<int>());
        foreach (var member in new[] { "type", "title", "detail", "code", "traceId" })
        {
            Assert.False(string.IsNullOrWhiteSpace(problem[member]?.GetValue<string>()), $"The problem has no {member}: {text}");
        }

        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        return problem;
    }

    public static void AssertChineseText(string text) =>
        Assert.True(text.Any(c => c is >= '\u4e00' and <= '\u9fff'), $"Expected Chinese text: {text}");

    public static MediaTypeHeaderValue? ContentType(this HttpResponseMessage response) => response.Content.Headers.ContentType;
}

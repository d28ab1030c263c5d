using System.Net;
using System.Text.Json.Nodes;
using Aggregator.Intake.Tests.Support;
using Aggregator.Storage.Idempotency;

namespace Aggregator.Intake.Tests;

/// <summary>A POST with an <c>Idempotency-Key</c> can be retried safely: replayed when the same, refused when not.</summary>
public sealed class IdempotencyTests(World world) : IClassFixture<World>
{
    private const string Header = "Idempotency-Key";

    [Fact]
    public async Task The_same_key_and_body_replay_the_first_response_and_store_one_version()
    {
        var key = Guid.NewGuid().ToString();
        var document = Documents.Valid("U2");
        var before = await world.Host.SnapshotAsync();

        using var first = await world.Host.SendAsync(SubmitAs(world.U2Key, document).WithHeader(Header, key));
        using var second = await world.Host.SendAsync(SubmitAs(world.U2Key, document).WithHeader(Header, key));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), await second.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("application/json", second.Content.Headers.ContentType?.MediaType);
        Assert.True(second.Headers.TryGetValues("Idempotent-Replayed", out var replayed) && replayed.Single() == "true");
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        var after = await world.Host.SnapshotAsync();
        Assert.Equal(before["submission_versions"] + 1, after["submission_versions"]);
        Assert.Equal(before["outbox"] + 1, after["outbox"]);
        Assert.Equal(before["idempotency_keys"] + 1, after["idempotency_keys"]);
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_refused_and_stores_nothing()
    {
        var key = Guid.NewGuid().ToString();
        using var first = await world.Host.SendAsync(SubmitAs(world.U2Key, Documents.Valid("U2", seed: 1)).WithHeader(Header, key));
        await first.ExpectAsync(HttpStatusCode.Accepted);
        var before = await world.Host.SnapshotAsync();

        using var second = await world.Host.SendAsync(SubmitAs(world.U2Key, Documents.Valid("U2", seed: 2)).WithHeader(Header, key));

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("idempotency_key_reused", (await second.ProblemAsync())["code"]!.GetValue<string>());
        Assert.Empty((await world.Host.SnapshotAsync()).DifferencesFrom(before));
    }

    [Fact]
    public async Task The_same_key_with_another_query_is_a_different_request()
    {
        var key = Guid.NewGuid().ToString();
        using var dryRun = await world.Host.SendAsync(SubmitAs(world.U2Key, Documents.Valid("U2"), "?dryRun=true").WithHeader(Header, key));
        await dryRun.ExpectAsync(HttpStatusCode.OK);

        using var real = await world.Host.SendAsync(SubmitAs(world.U2Key, Documents.Valid("U2")).WithHeader(Header, key));

        Assert.Equal(HttpStatusCode.Conflict, real.StatusCode);
    }

    [Fact]
    public async Task Keys_of_different_callers_never_collide()
    {
        var key = Guid.NewGuid().ToString();
        var before = await world.Host.SnapshotAsync();

        using var byUnit = await world.Host.SendAsync(SubmitAs(world.U1Key, Documents.Valid("U1")).WithHeader(Header, key));
        using var byAdmin = await world.Host.SendAsync(SubmitAs(world.AdminKey, Documents.Valid("U1")).WithHeader(Header, key));

        var first = await byUnit.ExpectAsync(HttpStatusCode.Accepted);
        var second = await byAdmin.ExpectAsync(HttpStatusCode.Accepted);
        Assert.Equal(first["version"]!.GetValue<int>() + 1, second["version"]!.GetValue<int>());
        Assert.Equal(before["submission_versions"] + 2, (await world.Host.SnapshotAsync())["submission_versions"]);
    }

    [Fact]
    public async Task A_refused_request_stores_nothing_so_the_corrected_one_can_use_the_same_key()
    {
        var key = Guid.NewGuid().ToString();
        var before = await world.Host.SnapshotAsync();

        using var refused = await world.Host.SendAsync(SubmitAs(world.U2Key, Documents.Valid("U2").WithCell(Documents.CountCell, -1)).WithHeader(Header, key));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Empty((await world.Host.SnapshotAsync()).DifferencesFrom(before));

        using var corrected = await world.Host.SendAsync(SubmitAs(world.U2Key, Documents.Valid("U2")).WithHeader(Header, key));
        await corrected.ExpectAsync(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Concurrent_retries_with_one_key_store_one_version()
    {
        var key = Guid.NewGuid().ToString();
        var document = Documents.Valid("U2", seed: 11);
        var before = await world.Host.SnapshotAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            world.Host.SendAsync(SubmitAs(world.U2Key, document).WithHeader(Header, key))));

        var bodies = new List<string>();
        foreach (var response in responses)
        {
            using (response)
            {
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                bodies.Add(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            }
        }

        Assert.Single(bodies.Distinct());
        Assert.Equal(before["submission_versions"] + 1, (await world.Host.SnapshotAsync())["submission_versions"]);
    }

    [Fact]
    public async Task A_key_reserved_by_a_request_still_running_elsewhere_is_answered_409_in_progress_with_retry_after()
    {
        var key = Guid.NewGuid().ToString();
        var document = Documents.Valid("U2", seed: 12);
        var keys = await (await world.Host.GetAsync("/api/v1/keys", world.AdminKey)).ExpectAsync(HttpStatusCode.OK);
        var owner = keys.AsArray().Single(k => k!["unit_code"]?.GetValue<string>() == "U2")!["id"]!.GetValue<Guid>().ToString();
        var idempotency = world.Host.Services.Get<IdempotencyKeyRepository>();
        var running = await idempotency.ReserveAsync(owner, key, "another process's request", TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
        var before = await world.Host.SnapshotAsync();

        using var retry = await world.Host.SendAsync(SubmitAs(world.U2Key, document).WithHeader(Header, key));

        Assert.True(running.Won);
        Assert.Equal(HttpStatusCode.Conflict, retry.StatusCode);
        Assert.True(retry.Headers.RetryAfter?.Delta > TimeSpan.Zero, "409 in progress without Retry-After");
        var problem = await retry.ProblemAsync();
        Assert.Equal("conflict", problem["code"]!.GetValue<string>());
        ResponseExtensions.AssertChineseText(problem["title"]!.GetValue<string>());
        ResponseExtensions.AssertChineseText(problem["detail"]!.GetValue<string>());
        Assert.Empty((await world.Host.SnapshotAsync()).DifferencesFrom(before));

        await idempotency.ReleaseAsync(running.Row, TestContext.Current.CancellationToken);
        using var afterRelease = await world.Host.SendAsync(SubmitAs(world.U2Key, document).WithHeader(Header, key));
        await afterRelease.ExpectAsync(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Registering_units_twice_with_one_key_audits_once()
    {
        var key = Guid.NewGuid().ToString();
        var units = new[] { new { code = "IDEM1", name = "幂等单位", kind = "other", parent = "D" } };
        var before = await world.Host.SnapshotAsync();

        using var first = await world.Host.SendAsync(Request.Post("/api/v1/units").WithJson(units).WithKey(world.AdminKey).WithHeader(Header, key));
        using var second = await world.Host.SendAsync(Request.Post("/api/v1/units").WithJson(units).WithKey(world.AdminKey).WithHeader(Header, key));

        Assert.Equal(1, (await first.ExpectAsync(HttpStatusCode.OK))["upserted"]!.GetValue<int>());
        Assert.Equal(1, (await second.ExpectAsync(HttpStatusCode.OK))["upserted"]!.GetValue<int>());
        Assert.Equal(before["audit_log"] + 1, (await world.Host.SnapshotAsync())["audit_log"]);
    }

    private HttpRequestMessage SubmitAs(string key, JsonNode document, string query = "") =>
        Request.Post($"/api/v1/periods/{world.OpenPeriod}/submissions{query}").WithJson(document).WithKey(key);
}

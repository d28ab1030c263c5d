using System.Net;
using Aggregator.Intake.Tests.Support;

namespace Aggregator.Intake.Tests;

/// <summary>A fixed window of requests per API key; past it, 429 <c>rate_limited</c> with <c>Retry-After</c>.</summary>
public sealed class RateLimitTests
{
    private static readonly Dictionary<string, string?> ThreePerMinute = new()
    {
        ["Intake:RateLimit:PermitLimit"] = "3",
        ["Intake:RateLimit:Window"] = "00:01:00",
    };

    [Fact]
    public async Task The_request_past_the_limit_is_refused_with_retry_after()
    {
        await using var host = await ApiHost.StartOnSqliteAsync(ThreePerMinute);
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await host.GetAsync("/api/v1/units", host.AdminKey);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var refused = await host.GetAsync("/api/v1/units", host.AdminKey);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("rate_limited", (await refused.ProblemAsync())["code"]!.GetValue<string>());
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
    }

    [Fact]
    public async Task Each_key_has_its_own_allowance()
    {
        await using var host = await ApiHost.StartOnSqliteAsync(new Dictionary<string, string?>(ThreePerMinute) { ["Intake:RateLimit:PermitLimit"] = "5" });
        // Issuing the ops key spends one of the admin key's five requests.
        var ops = await host.IssueKeyAsync("ops");
        for (var i = 0; i < 4; i++)
        {
            using var response = await host.GetAsync("/api/v1/units", host.AdminKey);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var adminRefused = await host.GetAsync("/api/v1/units", host.AdminKey);
        using var opsAllowed = await host.GetAsync("/api/v1/units", ops);

        Assert.Equal(HttpStatusCode.TooManyRequests, adminRefused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, opsAllowed.StatusCode);
    }

    [Fact]
    public async Task Requests_without_a_valid_key_are_limited_too_and_probes_are_not()
    {
        await using var host = await ApiHost.StartOnSqliteAsync(ThreePerMinute);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await host.GetAsync("/api/v1/units", "agk_zzzzzzzz_" + new string('Q', 43));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
        for (var i = 0; i < 5; i++)
        {
            using var probe = await host.GetAsync("/health/live", null);
            Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
        }
    }
}

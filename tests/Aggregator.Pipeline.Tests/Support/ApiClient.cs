using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Aggregator.Cli.Demo;
using Aggregator.Testing.Waiting;
using Xunit;

namespace Aggregator.Pipeline.Tests.Support;

/// <summary>The HTTP API as a test drives it: JSON in, JSON out, and polling until the pipeline has done its work.</summary>
public sealed class ApiClient(HttpClient http) : IDisposable
{
    public HttpClient Http => http;

    public async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? json, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, "api/v1/" + path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return (response.StatusCode, text.Length == 0 || !IsJson(response) ? null : JsonNode.Parse(text));
    }

    public Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string path, string? json, CancellationToken ct) => SendAsync(HttpMethod.Post, path, json, ct);

    public Task<(HttpStatusCode Status, JsonNode? Body)> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, ct);

    /// <summary>Asserts the status and returns the body.</summary>
    public async Task<JsonNode> ExpectAsync(HttpStatusCode expected, Task<(HttpStatusCode Status, JsonNode? Body)> call)
    {
        var (status, body) = await call;
        Assert.True(status == expected, $"Expected {(int)expected}, got {(int)status}: {body?.ToJsonString()}");
        return body ?? new JsonObject();
    }

    public async Task RegisterAsync(DistrictScenario scenario, CancellationToken ct)
    {
        var units = new JsonArray([.. scenario.Registrations.Select(u => (JsonNode)new JsonObject
        {
            ["code"] = u.Code,
            ["name"] = u.Name,
            ["kind"] = u.Kind,
            ["parent"] = u.ParentCode,
        })]);
        await ExpectAsync(HttpStatusCode.OK, PostAsync("units", units.ToJsonString(), ct));
    }

    public async Task<Guid> OpenPeriodAsync(string rootUnit, CancellationToken ct)
    {
        var body = new JsonObject { ["year"] = 2019, ["form_id"] = "fmt_2019", ["root_unit"] = rootUnit, ["due_date"] = "2020-01-31" };
        var period = await ExpectAsync(HttpStatusCode.Created, PostAsync("periods", body.ToJsonString(), ct));
        return period["id"]!.GetValue<Guid>();
    }

    public async Task<Guid> SubmitAsync(Guid periodId, string documentJson, CancellationToken ct)
    {
        var receipt = await ExpectAsync(HttpStatusCode.Accepted, PostAsync($"periods/{periodId}/submissions", documentJson, ct));
        return receipt["submission_id"]!.GetValue<Guid>();
    }

    /// <summary>Waits until <paramref name="submitted"/> units have a validated latest version.</summary>
    public async Task<JsonNode> WaitForValidationAsync(Guid periodId, int submitted, TimeSpan timeout, CancellationToken ct)
    {
        JsonNode? last = null;
        return await Poll.ForAsync(
            async token =>
            {
                last = await ExpectAsync(HttpStatusCode.OK, GetAsync($"periods/{periodId}/completeness", token));
                var validated = last["units"]!.AsArray().Count(u => u!["status"]!.GetValue<string>() is not ("missing" or "received"));
                return validated >= submitted ? last : null;
            },
            $"{submitted} submissions of period {periodId} validated",
            timeout,
            ct,
            () => last?.ToJsonString() ?? "no answer");
    }

    public async Task<Guid> RequestRollupAsync(Guid periodId, CancellationToken ct)
    {
        var receipt = await ExpectAsync(HttpStatusCode.Accepted, PostAsync($"periods/{periodId}/rollups", null, ct));
        return receipt["rollup_id"]!.GetValue<Guid>();
    }

    /// <summary>Waits until the rollup's HTML report can be downloaded and the rollup has stopped rendering (completed,
    /// or failed on a later format); returns both.</summary>
    public async Task<(JsonNode Rollup, string Html)> WaitForReportAsync(Guid rollupId, TimeSpan timeout, CancellationToken ct)
    {
        var lastStatus = HttpStatusCode.OK;
        var html = await Poll.ForAsync(
            async token =>
            {
                using var response = await http.GetAsync($"api/v1/rollups/{rollupId}/report?format=html", token);
                lastStatus = response.StatusCode;
                return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync(token) : null;
            },
            $"the HTML report of rollup {rollupId}",
            timeout,
            ct,
            () => $"HTTP {(int)lastStatus}");
        // The public HTML report is stored ahead of the other formats: the rollup may still read rendering.
        var lastState = "rendering";
        var rollup = await Poll.ForAsync(
            async token =>
            {
                var state = await ExpectAsync(HttpStatusCode.OK, GetAsync($"rollups/{rollupId}", token));
                lastState = state["status"]?.GetValue<string>() ?? "?";
                return lastState == "rendering" ? null : state;
            },
            $"rollup {rollupId} to end rendering",
            timeout,
            ct,
            () => lastState);
        return (rollup, html);
    }

    public void Dispose() => http.Dispose();

    private static bool IsJson(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType is { } type && type.Contains("json", StringComparison.Ordinal);
}

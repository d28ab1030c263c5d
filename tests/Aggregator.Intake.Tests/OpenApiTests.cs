using System.Net;
using System.Text.Json.Nodes;
using Aggregator.Intake.Authentication;
using Aggregator.Intake.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Intake.Tests;

/// <summary>The OpenAPI document describes every mapped endpoint, and every endpoint names its authorisation.</summary>
public sealed class OpenApiTests(World world) : IClassFixture<World>
{
    /// <summary>Endpoints outside the API that anyone may reach: probes, metrics, the API description.</summary>
    private static readonly string[] PublicPrefixes = ["/health/", "/metrics", "/openapi/", "/scalar", "/assets/"];

    // The web pages: reachable without a key are only these; every other page needs a signed-in role.
    private static readonly string[] AnonymousPages = ["/signin", "/signout", "/denied", "/error/{status:int}"];

    private static readonly string[] SignedInPages = ["/", "/admin/", "/unit", "/ops"];

    public sealed record MappedEndpoint(string Method, string Route, Endpoint Endpoint);

    /// <summary>Every (method, route) mapped under <c>/api/v1</c>, read from the routing system itself.</summary>
    public static IReadOnlyList<MappedEndpoint> ApiEndpoints(IServiceProvider services) =>
        [.. AllEndpoints(services).Where(e => e.Route.StartsWith("/api/v1/", StringComparison.Ordinal))];

    [Fact]
    public async Task The_document_lists_every_api_endpoint_with_the_api_key_requirement()
    {
        var document = await OpenApiDocumentAsync();
        var endpoints = ApiEndpoints(world.Host.Services);
        Assert.True(endpoints.Count >= 15, $"only {endpoints.Count} endpoints mapped");

        foreach (var endpoint in endpoints)
        {
            var operation = document["paths"]?[endpoint.Route]?[endpoint.Method.ToLowerInvariant()];
            Assert.True(operation is not null, $"{endpoint.Method} {endpoint.Route} is missing from the OpenAPI document");
            var schemes = operation["security"]!.AsArray().SelectMany(requirement => requirement!.AsObject().Select(p => p.Key)).ToList();
            Assert.Contains("bearer", schemes);
            Assert.Contains("api_key", schemes);
            var responses = operation["responses"]!.AsObject();
            Assert.True(responses.ContainsKey("401") && responses.ContainsKey("403"), $"{endpoint.Method} {endpoint.Route} does not declare 401/403");
            Assert.Equal("application/problem+json", responses["401"]!["content"]!.AsObject().Single().Key);
            Assert.True(responses.Any(r => r.Key.StartsWith('2')), $"{endpoint.Method} {endpoint.Route} declares no success response");
        }
    }

    [Fact]
    public async Task The_report_text_endpoint_shows_an_example_body_and_the_report_its_edition_parameter()
    {
        var document = await OpenApiDocumentAsync();
        var put = document["paths"]!["/api/v1/periods/{id}/report-text"]!["put"]!;
        var example = put["requestBody"]!["content"]!["application/json"]!["example"]!;
        Assert.Equal("温州市洞头区人民政府办公室", example["compiled_by"]!.GetValue<string>());
        Assert.Equal("2020-01-20", example["published_on"]!.GetValue<string>());
        var report = document["paths"]!["/api/v1/rollups/{id}/report"]!["get"]!["parameters"]!.AsArray();
        Assert.Contains(report, p => p!["name"]!.GetValue<string>() == "edition" && p["in"]!.GetValue<string>() == "query");
    }

    [Fact]
    public async Task Every_post_documents_the_idempotency_key_header()
    {
        var document = await OpenApiDocumentAsync();
        var posts = ApiEndpoints(world.Host.Services).Where(e => e.Method == "POST").ToList();

        Assert.NotEmpty(posts);
        foreach (var post in posts)
        {
            var parameters = document["paths"]![post.Route]!["post"]!["parameters"]!.AsArray();
            Assert.Contains(parameters, p => p!["name"]!.GetValue<string>() == "Idempotency-Key" && p["in"]!.GetValue<string>() == "header");
        }
    }

    [Fact]
    public async Task The_document_declares_both_ways_of_sending_a_key()
    {
        var schemes = (await OpenApiDocumentAsync())["components"]!["securitySchemes"]!;

        Assert.Equal("http", schemes["bearer"]!["type"]!.GetValue<string>());
        Assert.Equal("bearer", schemes["bearer"]!["scheme"]!.GetValue<string>());
        Assert.Equal("apiKey", schemes["api_key"]!["type"]!.GetValue<string>());
        Assert.Equal("header", schemes["api_key"]!["in"]!.GetValue<string>());
        Assert.Equal("X-Api-Key", schemes["api_key"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Request_bodies_and_responses_are_described_in_snake_case()
    {
        var document = await OpenApiDocumentAsync();
        var schemas = document["components"]!["schemas"]!.AsObject();

        var openPeriod = schemas["OpenPeriodBody"]!["properties"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Equal(["year", "form_id", "root_unit", "due_date"], openPeriod);
        Assert.Contains("cells", schemas["ProblemDocument"]!["properties"]!.AsObject().Select(p => p.Key));
        Assert.NotNull(document["paths"]!["/api/v1/periods/{id}/submissions"]!["post"]!["requestBody"]!["content"]!["application/json"]);
    }

    [Fact]
    public void Every_api_endpoint_names_a_policy_of_the_intake()
    {
        foreach (var endpoint in ApiEndpoints(world.Host.Services))
        {
            var metadata = endpoint.Endpoint.Metadata;
            Assert.Empty(metadata.GetOrderedMetadata<IAllowAnonymous>());
            var policies = metadata.GetOrderedMetadata<IAuthorizeData>().Select(data => data.Policy).ToList();
            Assert.True(policies.Count > 0 && policies.All(p => p is not null && IntakePolicies.All.Contains(p)),
                $"{endpoint.Method} {endpoint.Route} has policies [{string.Join(", ", policies)}]");
            // The group's any-key policy alone would let every role in; each endpoint must narrow or confirm it.
            Assert.True(policies.Count >= 2, $"{endpoint.Method} {endpoint.Route} names no policy of its own");
        }
    }

    [Theory]
    [InlineData("/api/v1/periods", "periods")]
    [InlineData("/api/v1/periods/{id}/submissions", "submissions")]
    [InlineData("/api/v1/periods/{id}/rollups", "rollups")]
    [InlineData("/api/v1/periods/{id}/completeness", "units")]
    public async Task The_listings_the_pages_read_carry_an_example_response(string path, string listField)
    {
        var document = await OpenApiDocumentAsync();
        var example = document["paths"]![path]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["example"];
        Assert.NotNull(example);
        Assert.NotEmpty(example![listField]!.AsArray());
    }

    [Theory]
    [InlineData("/api/v1/rollups/{id}/drilldown", "get", "200", "children")]
    [InlineData("/api/v1/keys/bulk", "post", "201", "keys")]
    [InlineData("/api/v1/units/import", "post", "200", "lines")]
    public async Task The_drilldown_the_bulk_keys_and_the_unit_import_carry_an_example_response(string path, string method, string status, string listField)
    {
        var document = await OpenApiDocumentAsync();
        var operation = document["paths"]![path]![method]!;
        var example = operation["responses"]![status]?["content"]?["application/json"]?["example"];
        Assert.True(example is not null, operation["responses"]!.ToJsonString());
        Assert.NotEmpty(example[listField]!.AsArray());
        Assert.False(string.IsNullOrWhiteSpace(operation["summary"]?.GetValue<string>()));
        if (path == "/api/v1/keys/bulk")
        {
            Assert.NotNull(operation["responses"]![status]!["content"]!["text/csv"]);
        }
    }

    [Fact]
    public async Task The_unit_import_takes_csv_and_xlsx_bodies()
    {
        var content = (await OpenApiDocumentAsync())["paths"]!["/api/v1/units/import"]!["post"]!["requestBody"]!["content"]!.AsObject();

        Assert.Equal([Aggregator.Application.Units.UnitList.XlsxContentType, "text/csv"], content.Select(media => media.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_endpoint_outside_the_api_is_a_known_public_one()
    {
        var others = AllEndpoints(world.Host.Services).Where(e => !e.Route.StartsWith("/api/v1/", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(others);
        Assert.All(others, endpoint => Assert.True(
            PublicPrefixes.Any(prefix => endpoint.Route.StartsWith(prefix, StringComparison.Ordinal))
            || AnonymousPages.Contains(endpoint.Route)
            || (SignedInPages.Any(prefix => endpoint.Route == prefix || endpoint.Route.StartsWith(prefix, StringComparison.Ordinal))
                && endpoint.Endpoint.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Count > 0),
            $"{endpoint.Method} {endpoint.Route} is outside the API and neither a known public endpoint nor a page that needs a signed-in role"));
    }

    [Fact]
    public async Task The_document_and_the_interactive_reference_need_no_key()
    {
        using var document = await world.Host.GetAsync("/openapi/v1.json", null);
        using var reference = await world.Host.GetAsync("/scalar/", null);

        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        Assert.Equal("text/html", reference.Content.Headers.ContentType?.MediaType);
        Assert.Contains("openapi/v1.json", await reference.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    private async Task<JsonNode> OpenApiDocumentAsync()
    {
        using var response = await world.Host.GetAsync("/openapi/v1.json", null);
        return await response.ExpectAsync(HttpStatusCode.OK);
    }

    private static IEnumerable<MappedEndpoint> AllEndpoints(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(method => new MappedEndpoint(method, Normalize(endpoint.RoutePattern.RawText), endpoint)));

    private static string Normalize(string? route)
    {
        var text = "/" + (route ?? "").Trim('/');
        return text;
    }
}

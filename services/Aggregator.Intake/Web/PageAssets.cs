using System.Collections.Frozen;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Aggregator.Intake.Web;

/// <summary>
/// The pages' stylesheet and script, embedded in this assembly so that every host (the API, <c>serve</c>, a test
/// host) serves the same files without a static-assets manifest of its own.
/// </summary>
internal static class PageAssets
{
    public const string Stylesheet = "/assets/site.css";
    public const string Script = "/assets/site.js";

    private static readonly FrozenDictionary<string, (byte[] Content, string MediaType)> Files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal)
    {
        ["site.css"] = (Read("site.css"), "text/css; charset=utf-8"),
        ["site.js"] = (Read("site.js"), "text/javascript; charset=utf-8"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/assets/{name}", (string name, HttpContext context) =>
        {
            if (!Files.TryGetValue(name, out var file))
            {
                return Results.NotFound();
            }

            context.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Bytes(file.Content, file.MediaType);
        }).AllowAnonymous().ExcludeFromDescription();

    private static byte[] Read(string name)
    {
        using var stream = typeof(PageAssets).Assembly.GetManifestResourceStream("Aggregator.Intake.Assets." + name)
            ?? throw new InvalidOperationException($"The page asset {name} is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

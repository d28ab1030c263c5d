using Aggregator.Intake.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Aggregator.Intake.Json;

/// <summary>
/// The request body read once into memory, at most <see cref="IntakeOptions.MaxRequestBodyBytes"/>; shared by the
/// idempotency check (which hashes it) and the endpoint (which parses it).
/// </summary>
internal static class RequestBody
{
    private static readonly object ItemKey = new();

    /// <summary>The body limit of the endpoint the request is routed to: the batch limit where it carries <see cref="BatchBody"/>.</summary>
    public static long LimitFor(HttpContext context, IntakeOptions options) =>
        context.GetEndpoint()?.Metadata.GetMetadata<BatchBody>() is null ? options.MaxRequestBodyBytes : options.MaxBatchBodyBytes;

    /// <summary>The body bytes, or the 413 problem when it is larger than <paramref name="limit"/>.</summary>
    public static async Task<(byte[]? Bytes, ApiProblem? Problem)> ReadAsync(HttpContext context, long limit)
    {
        if (context.Items.TryGetValue(ItemKey, out var cached) && cached is byte[] bytes)
        {
            return (bytes, null);
        }

        var request = context.Request;
        if (request.ContentLength > limit)
        {
            return (null, ApiProblem.PayloadTooLarge(limit));
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = limit;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return (null, ApiProblem.PayloadTooLarge(limit));
                }

                buffer.Write(chunk.AsSpan(0, read));
            }
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, ApiProblem.PayloadTooLarge(limit));
        }

        bytes = buffer.ToArray();
        context.Items[ItemKey] = bytes;
        return (bytes, null);
    }
}

/// <summary>Endpoint metadata: this endpoint takes many units' files in one body, up to <see cref="IntakeOptions.MaxBatchBodyBytes"/>.</summary>
internal sealed class BatchBody;

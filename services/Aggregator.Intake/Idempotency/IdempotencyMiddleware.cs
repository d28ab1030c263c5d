using System.Security.Cryptography;
using System.Text;
using Aggregator.Intake.Authentication;
using Aggregator.Intake.Json;
using Aggregator.Intake.Problems;
using Aggregator.Storage.Idempotency;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Aggregator.Intake.Idempotency;

/// <summary>
/// Makes a POST that carries an <c>Idempotency-Key</c> safe to retry: the first successful response is stored per
/// API key and replayed (status, body, Location) for the same key and the same request; the same key with a different
/// request is refused with 409 <c>idempotency_key_reused</c>. Failed requests store nothing, so they can be retried
/// with the same key once corrected.
/// </summary>
internal sealed class IdempotencyMiddleware(RequestDelegate next, IdempotencyKeyRepository store, IOptions<IntakeOptions> options)
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 255;

    // Serialises concurrent requests with one key within this process, so that the second waits and replays; striped
    // so that memory stays bounded whatever the number of keys.
    private readonly SemaphoreSlim[] gates = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method)
            || !context.Request.Headers.TryGetValue(HeaderName, out var values)
            || context.GetEndpoint() is null
            || Caller.From(context.User) is not { } caller)
        {
            await next(context);
            return;
        }

        var key = values.ToString();
        if (values.Count != 1 || key.Length is 0 or > MaxKeyLength || key.Any(c => c is < '!' or > '~'))
        {
            await ProblemWriter.WriteAsync(context, ApiProblem.InvalidRequest(
                $"{HeaderName} 应为 1–{MaxKeyLength} 个可见 ASCII 字符（建议使用 UUID）。", new ApiFieldError(HeaderName, "格式不正确")));
            return;
        }

        var (body, tooLarge) = await RequestBody.ReadAsync(context, options.Value.MaxRequestBodyBytes);
        if (tooLarge is not null)
        {
            await ProblemWriter.WriteAsync(context, tooLarge);
            return;
        }

        var owner = caller.KeyId.ToString();
        var requestHash = Hash(context.Request, body!);
        var gate = gates[(int)((uint)HashCode.Combine(owner, key) % (uint)gates.Length)];
        await gate.WaitAsync(context.RequestAborted);
        try
        {
            if (await store.TryGetAsync(owner, key, context.RequestAborted) is { } stored)
            {
                await ReplayOrRefuseAsync(context, stored, requestHash);
                return;
            }

            await ExecuteAndStoreAsync(context, owner, key, requestHash);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task ExecuteAndStoreAsync(HttpContext context, string owner, string key, string requestHash)
    {
        var response = context.Response;
        var original = response.Body;
        using var captured = new MemoryStream();
        response.Body = captured;
        try
        {
            await next(context);
        }
        finally
        {
            response.Body = original;
        }

        if (response.StatusCode is >= 200 and < 300)
        {
            var result = await store.TryInsertAsync(new IdempotentResponse
            {
                OwnerKeyId = owner,
                IdempotencyKey = key,
                RequestHash = requestHash,
                StatusCode = response.StatusCode,
                ResponseBody = Encoding.UTF8.GetString(captured.GetBuffer(), 0, (int)captured.Length),
                ContentType = response.ContentType,
                Location = response.Headers.Location.ToString() is { Length: > 0 } location ? location : null,
            }, context.RequestAborted);

            // Another process stored a response for this key first: answer as a replay of that one.
            if (!result.Inserted)
            {
                response.Clear();
                await ReplayOrRefuseAsync(context, result.Stored, requestHash);
                return;
            }
        }

        captured.Position = 0;
        await captured.CopyToAsync(original, context.RequestAborted);
    }

    private static async Task ReplayOrRefuseAsync(HttpContext context, IdempotentResponse stored, string requestHash)
    {
        if (!string.Equals(stored.RequestHash, requestHash, StringComparison.Ordinal))
        {
            await ProblemWriter.WriteAsync(context, new ApiProblem(StatusCodes.Status409Conflict, HttpProblemCodes.IdempotencyKeyReused,
                "幂等键已被使用", $"该 {HeaderName} 已用于另一个不同的请求；新的请求请使用新的幂等键。"));
            return;
        }

        var response = context.Response;
        response.StatusCode = stored.StatusCode;
        response.Headers[ReplayedHeader] = "true";
        if (stored.ContentType is not null)
        {
            response.ContentType = stored.ContentType;
        }

        if (stored.Location is not null)
        {
            response.Headers.Location = stored.Location;
        }

        if (stored.ResponseBody is { Length: > 0 } body)
        {
            await response.WriteAsync(body, Encoding.UTF8, context.RequestAborted);
        }
    }

    /// <summary>What makes two requests "the same": method, path, query and body bytes.</summary>
    private static string Hash(HttpRequest request, byte[] body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.Path}\n{request.QueryString}\n"));
        hash.AppendData(body);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

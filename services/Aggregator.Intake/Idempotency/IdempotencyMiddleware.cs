using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Aggregator.Application.Results;
using Aggregator.Intake.Authentication;
using Aggregator.Intake.Json;
using Aggregator.Intake.Problems;
using Aggregator.Storage.Connections;
using Aggregator.Storage.Idempotency;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Aggregator.Intake.Idempotency;

/// <summary>
/// Makes a POST that carries an <c>Idempotency-Key</c> safe to retry: the first successful response is stored per
/// API key and replayed (status, body, Location) for the same key and the same request; the same key with a different
/// request is refused with 409 <c>idempotency_key_reused</c>. The key is reserved in the database before the request
/// runs, so that only one API process runs it; a retry arriving meanwhile in another process gets 409 <c>conflict</c>
/// with Retry-After. Failed requests release the key, so they can be retried with it once corrected.
/// </summary>
internal sealed partial class IdempotencyMiddleware(
    RequestDelegate next, IdempotencyKeyRepository store, IOptions<IntakeOptions> options, ILogger<IdempotencyMiddleware> logger)
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    // The idempotency_key column holds 128 characters on PostgreSQL and SQL Server.
    public const int MaxKeyLength = 128;
    public const int InProgressRetryAfterSeconds = 1;

    // Serialises concurrent requests with one key within this process, so that the second waits and replays instead of
    // being refused as in progress; striped so that memory stays bounded whatever the number of keys.
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

        var (body, tooLarge) = await RequestBody.ReadAsync(context, RequestBody.LimitFor(context, options.Value));
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
            var reservation = await store.ReserveAsync(
                owner, key, requestHash, options.Value.IdempotencyReservationTimeout, context.RequestAborted);
            if (reservation.Won)
            {
                await ExecuteAndCompleteAsync(context, reservation.Row);
            }
            else if (reservation.Row.IsInProgress)
            {
                context.Response.Headers.RetryAfter = InProgressRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await ProblemWriter.WriteAsync(context, new ApiProblem(StatusCodes.Status409Conflict, ProblemCodes.Conflict,
                    "请求正在处理中", $"使用该 {HeaderName} 的请求仍在处理中，请按 Retry-After 所示秒数稍后重试。"));
            }
            else
            {
                await ReplayOrRefuseAsync(context, reservation.Row, requestHash);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task ExecuteAndCompleteAsync(HttpContext context, IdempotentResponse reservation)
    {
        var response = context.Response;
        var original = response.Body;
        using var captured = new MemoryStream();
        response.Body = captured;
        try
        {
            await next(context);
        }
        catch
        {
            await ReleaseAsync(reservation);
            throw;
        }
        finally
        {
            response.Body = original;
        }

        if (response.StatusCode is >= 200 and < 300)
        {
            // Not the request's token: once the work is done its response must be kept even if the caller has gone,
            // or the caller's retry would do the work again.
            var completed = await store.CompleteAsync(reservation with
            {
                StatusCode = response.StatusCode,
                ResponseBody = Encoding.UTF8.GetString(captured.GetBuffer(), 0, (int)captured.Length),
                ContentType = response.ContentType,
                Location = response.Headers.Location.ToString() is { Length: > 0 } location ? location : null,
            }, CancellationToken.None);
            if (!completed)
            {
                LogReservationLost(logger, context.Request.Path);
            }
        }
        else
        {
            await ReleaseAsync(reservation);
        }

        captured.Position = 0;
        await captured.CopyToAsync(original, context.RequestAborted);
    }

    private async Task ReleaseAsync(IdempotentResponse reservation)
    {
        try
        {
            // Not the request's token: a request cancelled by its caller must still give the key back.
            await store.ReleaseAsync(reservation, CancellationToken.None);
        }
        catch (Exception exception) when (exception is DbException or TimeoutException or DatabaseUnavailableException)
        {
            // The request's own outcome matters more; the key frees itself after the reservation timeout.
            LogReleaseFailed(logger, exception);
        }
    }

    [LoggerMessage(LogLevel.Warning, "An idempotency key reservation for {Path} was taken over before its request completed; its response was not stored")]
    private static partial void LogReservationLost(ILogger logger, PathString path);

    [LoggerMessage(LogLevel.Warning, "Could not release an idempotency key reservation after a failed request")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception);

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

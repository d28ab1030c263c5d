using System.Text.Json;
using Aggregator.Storage.Connections;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Aggregator.Intake.Problems;

/// <summary>
/// Turns every exception that escapes an endpoint into a problem document: malformed input into a 4xx, an unreachable
/// database into 503, anything else into a 500 without a stack trace (the trace goes to the log).
/// </summary>
internal sealed class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
            return true;
        }

        var problem = exception switch
        {
            BadHttpRequestException bad => FromBadRequest(bad),
            JsonException => ApiProblem.InvalidJson("请求体不是有效的 JSON。"),
            DatabaseUnavailableException => StatusCodeProblems.ServiceUnavailable(),
            _ => null,
        };

        if (problem is null)
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
            problem = StatusCodeProblems.InternalError();
        }
        else if (problem.Status >= 500)
        {
            logger.LogWarning("{Method} {Path} failed: {Reason}", httpContext.Request.Method, httpContext.Request.Path, exception.Message);
        }

        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "5";
        }

        await ProblemWriter.WriteAsync(httpContext, problem);
        return true;
    }

    private static ApiProblem FromBadRequest(BadHttpRequestException exception) => exception.StatusCode switch
    {
        StatusCodes.Status413PayloadTooLarge => StatusCodeProblems.For(StatusCodes.Status413PayloadTooLarge),
        StatusCodes.Status415UnsupportedMediaType => StatusCodeProblems.For(StatusCodes.Status415UnsupportedMediaType),
        _ => ApiProblem.InvalidRequest("请求无法读取，请检查地址、参数和请求体。"),
    };
}

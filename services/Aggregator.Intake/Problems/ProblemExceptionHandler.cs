using System.Text.Json;
using System.Text.RegularExpressions;
using Aggregator.Storage.Connections;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Aggregator.Intake.Problems;

/// <summary>
/// Turns every exception that escapes an endpoint into a problem document: malformed input into a 4xx, an unreachable
/// database into 503, anything else into a 500 without a stack trace (the trace goes to the log).
/// </summary>
internal sealed partial class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
            return true;
        }

        if (Web.WebPages.IsPageRequest(httpContext.Request.Path))
        {
            // The pages' own exception handler shows its HTML error page; the exception is still logged there.
            return false;
        }

        var problem = exception switch
        {
            BadHttpRequestException bad => FromBadRequest(httpContext.Request, bad),
            JsonException => ApiProblem.InvalidJson("请求体不是有效的 JSON。"),
            // Storage wraps failures to open a connection; a connection lost mid-statement arrives raw, so classify both.
            _ when TransientDatabaseErrors.IsUnavailable(exception) => StatusCodeProblems.DatabaseUnavailable(),
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

    private static ApiProblem FromBadRequest(HttpRequest request, BadHttpRequestException exception) => exception.StatusCode switch
    {
        StatusCodes.Status413PayloadTooLarge => StatusCodeProblems.For(StatusCodes.Status413PayloadTooLarge),
        StatusCodes.Status415UnsupportedMediaType => StatusCodeProblems.For(StatusCodes.Status415UnsupportedMediaType),
        _ when BindingFailure().Match(exception.Message) is { Success: true } failure => InvalidParameter(request, failure),
        _ => ApiProblem.InvalidRequest("请求无法读取，请检查地址、参数和请求体。"),
    };

    /// <summary>A route or query value that does not convert to the parameter's type, e.g. an id that is not a GUID.</summary>
    private static ApiProblem InvalidParameter(HttpRequest request, Match failure)
    {
        var name = failure.Groups["name"].Value;
        // Parameters bound under a snake_case query name carry their C# name in the message; show the name the caller used.
        var snake = JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
        var field = request.Query.ContainsKey(name) || !request.Query.ContainsKey(snake) ? name : snake;
        var value = ApiProblem.Printable(failure.Groups["value"].Value);
        var message = failure.Groups["value"].Success ? $"值“{value}”无效（应为 {TypeName(failure.Groups["type"].Value)}）" : "缺少必填参数";
        return ApiProblem.InvalidRequest($"参数“{field}”{message}。", new ApiFieldError(field, message));
    }

    private static string TypeName(string type) => type.TrimEnd('?') switch
    {
        "Guid" => "GUID，如 01a20a1f-8e57-75f9-bb34-0a3073cb5b74",
        "int" or "Int32" or "long" or "Int64" => "整数",
        "bool" or "Boolean" => "true 或 false",
        "DateOnly" => "日期 YYYY-MM-DD",
        _ => type,
    };

    // RequestDelegateFactory's wording: Failed to bind parameter "Guid id" from "abc". / Required parameter "int page" was not provided from query string.
    [GeneratedRegex("""^(?:Failed to bind parameter|Required parameter) "(?<type>[^"]+) (?<name>[^" ]+)"(?: from "(?<value>[^"]*)")?""", RegexOptions.CultureInvariant)]
    private static partial Regex BindingFailure();
}

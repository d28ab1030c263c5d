using Aggregator.Application.Results;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Intake.Problems;

/// <summary>The problem for a response that ended with an error status and no body (no route, wrong method, …).</summary>
public static class StatusCodeProblems
{
    public static ApiProblem For(int status) => status switch
    {
        StatusCodes.Status400BadRequest => ApiProblem.InvalidRequest("请求无法解析，请检查地址、参数和请求体。"),
        StatusCodes.Status401Unauthorized => Unauthenticated("缺少 API 密钥：请在 Authorization: Bearer 或 X-Api-Key 请求头中提供。"),
        StatusCodes.Status403Forbidden => ApiProblem.Forbidden("当前密钥的角色无权执行此操作。"),
        StatusCodes.Status404NotFound => new(status, ProblemCodes.NotFound, "资源不存在", "找不到请求的地址或资源。"),
        StatusCodes.Status405MethodNotAllowed => new(status, HttpProblemCodes.MethodNotAllowed, "不支持该请求方法", "该地址不支持此 HTTP 方法。"),
        StatusCodes.Status413PayloadTooLarge => new(status, HttpProblemCodes.PayloadTooLarge, "请求体过大", "请求体超过了允许的大小。"),
        StatusCodes.Status415UnsupportedMediaType => ApiProblem.UnsupportedMediaType("请以 Content-Type: application/json（UTF-8）提交。"),
        StatusCodes.Status429TooManyRequests => RateLimited(),
        StatusCodes.Status503ServiceUnavailable => ServiceUnavailable(),
        >= 500 => InternalError(status),
        _ => new(status, ProblemCodes.InvalidRequest, "请求无效", $"请求未能完成（HTTP {status}）。"),
    };

    public static ApiProblem Unauthenticated(string detail) =>
        new(StatusCodes.Status401Unauthorized, HttpProblemCodes.Unauthenticated, "未通过身份验证", detail);

    public static ApiProblem RateLimited() =>
        new(StatusCodes.Status429TooManyRequests, HttpProblemCodes.RateLimited, "请求过于频繁", "请求次数超过限制，请按 Retry-After 所示秒数稍后重试。");

    public static ApiProblem ServiceUnavailable() =>
        new(StatusCodes.Status503ServiceUnavailable, HttpProblemCodes.ServiceUnavailable, "服务暂时不可用", "服务暂时无法处理请求，请按 Retry-After 所示秒数稍后重试。");

    public static ApiProblem DatabaseUnavailable() =>
        new(StatusCodes.Status503ServiceUnavailable, HttpProblemCodes.DatabaseUnavailable, "数据库暂时不可用", "数据库暂时无法访问，请求未被处理；请按 Retry-After 所示秒数稍后重试。");

    public static ApiProblem InternalError(int status = StatusCodes.Status500InternalServerError) =>
        new(status, HttpProblemCodes.InternalError, "服务器内部错误", "服务器处理请求时出错，请稍后重试；如持续出现，请将 traceId 告知管理员。");
}

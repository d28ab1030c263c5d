using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aggregator.Intake.Pages;

/// <summary>
/// What a page route answers when it ends in an error status or an exception: the site's own page in Chinese with
/// that status, where the API answers a problem document.
/// </summary>
[AllowAnonymous]
// A failed form post is re-executed here as a POST; checking its token again would turn every error into a 400.
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Status { get; private set; }

    public string Title { get; private set; } = "";

    public string Message { get; private set; } = "";

    public string? OriginalPath { get; private set; }

    public void OnGet(int status) => Show(status);

    public void OnPost(int status) => Show(status);

    private void Show(int status)
    {
        Status = status is >= 400 and <= 599 ? status : StatusCodes.Status404NotFound;
        (Title, Message) = Status switch
        {
            StatusCodes.Status400BadRequest => ("请求有误", "请求无法处理，请检查地址和填写的内容后重试。"),
            StatusCodes.Status401Unauthorized => ("未登录", "请先用 API 密钥登录。"),
            StatusCodes.Status403Forbidden => ("无权访问", "当前密钥的角色无权查看此页面。"),
            StatusCodes.Status404NotFound => ("页面不存在", "找不到这个页面或记录：地址可能有误，或该记录不存在、已被删除。"),
            StatusCodes.Status405MethodNotAllowed => ("操作不受支持", "此页面不支持该操作。"),
            StatusCodes.Status413PayloadTooLarge => ("文件过大", "上传的文件或填写的内容超过了允许的大小。"),
            StatusCodes.Status429TooManyRequests => ("操作过于频繁", "操作次数超过限制，请稍后再试。"),
            StatusCodes.Status503ServiceUnavailable => ("服务暂时不可用", "服务暂时无法处理请求，请稍后再试。"),
            >= 500 => ("服务器内部错误", "服务器处理请求时出错，请稍后重试；如持续出现，请将下面的编号告知管理员。"),
            _ => ("请求未能完成", $"请求未能完成（HTTP {Status}）。"),
        };
        var reExecuted = HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalPath
            ?? HttpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path;
        OriginalPath = reExecuted;
        if (Status >= 500)
        {
            Message += $"（编号 {System.Diagnostics.Activity.Current?.Id ?? HttpContext.TraceIdentifier}）";
        }

        Response.StatusCode = Status;
    }
}

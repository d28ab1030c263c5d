using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aggregator.Intake.Pages;

[AllowAnonymous]
public sealed class DeniedModel : PageModel
{
    public string Message { get; private set; } = "当前密钥的角色无权查看此页面。";

    public void OnGet() => Response.StatusCode = StatusCodes.Status403Forbidden;
}

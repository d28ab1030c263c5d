using Aggregator.Application.Security;
using Aggregator.Intake.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aggregator.Intake.Pages;

[AllowAnonymous]
public sealed class SignInModel(ApiKeyAuthenticator authenticator) : PageModel
{
    public string? Error { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnTo { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync([FromForm] string? key)
    {
        var check = string.IsNullOrWhiteSpace(key) ? null : await authenticator.AuthenticateAsync(key.Trim(), HttpContext.RequestAborted);
        if (check?.Identity is not { } identity || !ApiKeyText.TryParse(key!.Trim(), out var prefix))
        {
            Error = check?.Refusal == ApiKeyRefusal.Revoked ? "该密钥已被吊销。" : "密钥无效，请检查后重新输入。";
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        await HttpContext.SignInAsync(WebPages.CookieScheme, WebPages.SessionPrincipal(identity, prefix),
            new AuthenticationProperties { IsPersistent = false });
        // Only a local path: an address from elsewhere would make the sign-in page an open redirect.
        return LocalRedirect(ReturnTo is { Length: > 0 } local && Url.IsLocalUrl(local) ? local : "/");
    }
}

using Aggregator.Intake.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aggregator.Intake.Pages;

// Signed in by the session, so that the antiforgery token is checked against the user it was issued to.
[Authorize(AuthenticationSchemes = WebPages.Scheme)]
public sealed class SignOutModel : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(WebPages.CookieScheme);
        return LocalRedirect("/signin");
    }
}

using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace Pipekit.Server.Pages;

/// <summary><c>POST /logout</c>: ends the session cookie.</summary>
internal sealed class LogoutModel : PipekitPage
{
    public LogoutModel(TimeProvider time) : base(time)
    {
    }

    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(Auth.PageSession.Scheme);
        return Redirect("/login");
    }
}

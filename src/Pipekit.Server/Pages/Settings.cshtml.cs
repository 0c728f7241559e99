using Microsoft.AspNetCore.Mvc;
using Pipekit.Core.Auth;
using Pipekit.Core.Diagnostics;

namespace Pipekit.Server.Pages;

/// <summary><c>/settings</c>: change the password (every session ends with it) and the <c>doctor</c> report.</summary>
internal sealed class SettingsModel(TimeProvider time, Credentials credentials, Doctor doctor) : PipekitPage(time)
{
    public IReadOnlyList<DoctorResult>? Report { get; private set; }
    public string? Notice { get; private set; }
    public string? UserName { get; private set; }

    public async Task OnGetAsync(bool doctorReport, CancellationToken ct)
    {
        UserName = await credentials.GetUsernameAsync(ct);
        if (doctorReport) Report = await doctor.RunAsync(ct);
    }

    public async Task<IActionResult> OnPostPasswordAsync(string? current, string? password, string? confirm, CancellationToken ct)
    {
        UserName = await credentials.GetUsernameAsync(ct);
        if (UserName is not null && !await credentials.VerifyAsync(UserName, current ?? "", ct))
            ModelState.AddModelError("", "The current password is wrong; nothing was changed.");
        else if (string.IsNullOrEmpty(password) || password.Length < 8)
            ModelState.AddModelError("", "The new password needs at least 8 characters; nothing was changed.");
        else if (password != confirm)
            ModelState.AddModelError("", "The two new passwords differ; nothing was changed.");
        else
        {
            await credentials.SetAsync(UserName ?? "admin", password, ct);
            return Redirect("/login?return=%2Fsettings");
        }
        return Page();
    }
}

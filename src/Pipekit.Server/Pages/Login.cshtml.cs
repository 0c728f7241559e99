using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Pipekit.Server.Auth;

namespace Pipekit.Server.Pages;

/// <summary>
/// <c>/login</c>: checks the user and password with the API's own check, under the same failed-login lockout, and
/// sets the session cookie (<see cref="PageSession"/>).
/// </summary>
internal sealed class LoginModel : PipekitPage
{
    private readonly CredentialCheck _check;
    private readonly LoginThrottle _throttle;
    private readonly ILogger<LoginModel> _logger;

    public LoginModel(TimeProvider time, CredentialCheck check, LoginThrottle throttle, ILogger<LoginModel> logger) : base(time)
    {
        _check = check;
        _throttle = throttle;
        _logger = logger;
    }

    [BindProperty(SupportsGet = true, Name = "return")]
    public string? Return { get; set; }

    [BindProperty(Name = "user")]
    public string? UserName { get; set; }

    [BindProperty(Name = "password")]
    public string? Password { get; set; }

    public string? Message { get; private set; }

    public bool NoPassword { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (HttpContext.User.Identity?.IsAuthenticated == true) return LocalRedirect(SafeReturn());
        NoPassword = await _check.StoredHashAsync(ct) is null;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var address = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (_throttle.IsLockedOut(address, out var retryAfter)) return TooMany(address, retryAfter);
        var outcome = await _check.CheckFormAsync(UserName ?? "", Password ?? "", address, ct);
        if (outcome is CredentialOutcome.Throttled)
        {
            _throttle.IsLockedOut(address, out retryAfter);
            return TooMany(address, retryAfter);
        }
        if (outcome is CredentialOutcome.Rejected or CredentialOutcome.Missing)
        {
            _logger.LogWarning("Failed login from {Address}", address);
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Message = "The user name or password is wrong.";
            return Page();
        }
        var stored = await _check.StoredHashAsync(ct);
        await HttpContext.SignInAsync(PageSession.Scheme, PageSession.Principal(UserName ?? "", stored),
            new AuthenticationProperties { IsPersistent = true });
        return LocalRedirect(SafeReturn());
    }

    private IActionResult TooMany(string address, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds));
        Response.StatusCode = StatusCodes.Status429TooManyRequests;
        Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        Message = $"Too many failed logins from {address}. Try again in {seconds:0} s.";
        return Page();
    }

    // Only a local path: "/runs?status=error" is fine, "//evil.example" and "https://…" are not.
    private string SafeReturn() =>
        !string.IsNullOrEmpty(Return) && Url.IsLocalUrl(Return) && !Return.StartsWith("/login", StringComparison.OrdinalIgnoreCase) ? Return : "/";
}

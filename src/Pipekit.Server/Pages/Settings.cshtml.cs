using Microsoft.AspNetCore.Mvc;
using Pipekit.Core.Auth;
using Pipekit.Core.Diagnostics;
using Pipekit.Core.Errors;
using Pipekit.Core.Notifications;
using Pipekit.Server.Api.Contracts;

namespace Pipekit.Server.Pages;

/// <summary>
/// <c>/settings</c>: change the password (every session ends with it), the <c>doctor</c> report, and notifications:
/// channels with a "Send test" button, and rules. The notification forms call the same editor as the API.
/// </summary>
internal sealed class SettingsModel(TimeProvider time, Credentials credentials, Doctor doctor, NotificationEditor notifications) : PipekitPage(time)
{
    public IReadOnlyList<DoctorResult>? Report { get; private set; }
    public string? Notice { get; private set; }
    public string? UserName { get; private set; }
    public IReadOnlyList<NotificationChannel> Channels { get; private set; } = [];
    public IReadOnlyList<NotificationRule> Rules { get; private set; } = [];
    public string? NotificationError { get; private set; }

    public async Task OnGetAsync(bool doctorReport, CancellationToken ct)
    {
        UserName = await credentials.GetUsernameAsync(ct);
        if (doctorReport) Report = await doctor.RunAsync(ct);
        await LoadNotificationsAsync(ct);
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
        await LoadNotificationsAsync(ct);
        return Page();
    }

    /// <summary>"Send test": the result replaces the button's slot (htmx), or the page shows it.</summary>
    public async Task<IActionResult> OnPostTestChannelAsync(string name, CancellationToken ct)
    {
        NotificationTestDto result;
        try
        {
            var error = await notifications.TestAsync(name, ct);
            result = new NotificationTestDto(name, error is null, error);
        }
        catch (NotFoundException ex)
        {
            result = new NotificationTestDto(name, false, ex.Message);
        }
        if (Request.Headers.ContainsKey("HX-Request")) return Partial("_NotificationTest", result);
        Notice = result.Delivered ? $"Test message delivered to {name}." : $"Test message to {name} not delivered: {result.Error}";
        UserName = await credentials.GetUsernameAsync(ct);
        await LoadNotificationsAsync(ct);
        return Page();
    }

    public Task<IActionResult> OnPostAddChannelAsync(NotificationChannelInput input, string? recipients, CancellationToken ct) =>
        ChangeAsync(() => notifications.AddChannelAsync(
            (input with { To = recipients?.Split([',', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) }).ToChannel(), ct), ct);

    public Task<IActionResult> OnPostRemoveChannelAsync(string name, CancellationToken ct) =>
        ChangeAsync(() => notifications.RemoveChannelAsync(name, ct), ct);

    public Task<IActionResult> OnPostSetRuleAsync(string? targetKind, string? target, string[]? on, string? channels, string? lateAfter, double? longFactor,
        CancellationToken ct) =>
        ChangeAsync(() => notifications.SetRuleAsync(new NotificationRuleInput(targetKind, target, on ?? [],
            channels?.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [], lateAfter, longFactor).ToRule(), ct), ct);

    public Task<IActionResult> OnPostRemoveRuleAsync(long id, CancellationToken ct) =>
        ChangeAsync(() => notifications.RemoveRuleAsync(id, ct), ct);

    // A refused change shows its one-line reason above the notifications section and changes nothing.
    private async Task<IActionResult> ChangeAsync(Func<Task> change, CancellationToken ct)
    {
        try
        {
            await change();
            return Redirect("/settings#notifications");
        }
        catch (PipekitException ex) when (ex is InvalidInputException or NotFoundException or CannotDoHereException)
        {
            NotificationError = ex.Message;
        }
        UserName = await credentials.GetUsernameAsync(ct);
        await LoadNotificationsAsync(ct);
        return Page();
    }

    private async Task LoadNotificationsAsync(CancellationToken ct)
    {
        Channels = await notifications.ListChannelsAsync(ct);
        Rules = await notifications.ListRulesAsync(ct);
    }
}

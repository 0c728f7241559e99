using Pipekit.Core.Configuration;
using Pipekit.Core.Notifications;
using Pipekit.Core.Validation;

namespace Pipekit.Server.Api.Contracts;

/// <summary>A notification channel as the API shows it. <c>secret</c> and <c>password</c> are <c>$NAME</c> references, never values.</summary>
internal sealed record NotificationChannelDto(string Name, string Type, string Source, string? Url, string? Secret, string? Host, int? Port,
    string? Security, string? Username, string? Password, string? From, IReadOnlyList<string>? To)
{
    public static NotificationChannelDto Of(NotificationChannel c) => c.Kind == NotificationChannel.Webhook
        ? new(c.Name, c.Kind, c.Source, c.Url, c.Secret, null, null, null, null, null, null, null)
        : new(c.Name, c.Kind, c.Source, null, null, c.SmtpHost, c.SmtpPort, c.Security, c.Username, c.Password, c.From, c.To);
}

/// <summary>Body of a new channel: <c>type</c> <c>webhook</c> (url, secret) or <c>email</c> (host, port, security, username, password, from, to).</summary>
internal sealed record NotificationChannelInput(string? Name, string? Type, string? Url, string? Secret, string? Host, int? Port, string? Security,
    string? Username, string? Password, string? From, IReadOnlyList<string>? To)
{
    public NotificationChannel ToChannel()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ValidationException("name", "is required");
        if (string.IsNullOrWhiteSpace(Type)) throw new ValidationException("type", "is required: \"webhook\" or \"email\"");
        return new NotificationChannel
        {
            Name = Name.Trim(), Kind = Type.Trim(), Url = Blank(Url), Secret = Blank(Secret), SmtpHost = Blank(Host), SmtpPort = Port ?? 587,
            Security = Blank(Security) ?? "starttls", Username = Blank(Username), Password = Blank(Password), From = Blank(From),
            To = To?.Select(t => t.Trim()).Where(t => t.Length > 0).ToList() ?? [],
        };
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>The outcome of <c>POST /api/notifications/channels/{name}/test</c>.</summary>
internal sealed record NotificationTestDto(string Channel, bool Delivered, string? Error);

/// <summary>A rule. <c>id</c> is null for the default of <c>pipekit.toml</c>; <c>late_after</c> is a duration such as <c>"2h"</c>.</summary>
internal sealed record NotificationRuleDto(long? Id, string TargetKind, string Target, IReadOnlyList<string> On, IReadOnlyList<string> Channels,
    string? LateAfter, double? LongFactor, string Source)
{
    public static NotificationRuleDto From(NotificationRule r) =>
        new(r.Id, r.TargetKind, r.TargetName, r.On, r.Channels, r.LateAfter is { } l ? DurationText.Format(l) : null, r.LongFactor, r.Source);
}

/// <summary>Body of a rule: it replaces the rule of its target, if there is one.</summary>
internal sealed record NotificationRuleInput(string? TargetKind, string? Target, IReadOnlyList<string>? On, IReadOnlyList<string>? Channels,
    string? LateAfter, double? LongFactor)
{
    public NotificationRule ToRule()
    {
        if (string.IsNullOrWhiteSpace(TargetKind)) throw new ValidationException("target_kind", $"is required: one of {string.Join(", ", NotificationRule.TargetKinds)}");
        TimeSpan? late = null;
        if (!string.IsNullOrWhiteSpace(LateAfter))
            late = DurationText.TryParse(LateAfter, out var parsed) ? parsed
                : throw new ValidationException("late_after", $"expected a duration such as \"30m\" or \"2h\", got \"{LateAfter}\"");
        return new NotificationRule
        {
            TargetKind = TargetKind.Trim(), TargetName = Target?.Trim() ?? "", On = On ?? [NotificationRule.OnFailure], Channels = Channels ?? [],
            LateAfter = late, LongFactor = LongFactor,
        };
    }
}

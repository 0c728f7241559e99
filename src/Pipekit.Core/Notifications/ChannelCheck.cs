using System.Net.Mail;
using System.Text.RegularExpressions;

namespace Pipekit.Core.Notifications;

/// <summary>
/// The checks a channel passes wherever it comes from (<c>pipekit.toml</c>, the API, the Settings page): each failure
/// names the key at fault (<c>url</c>, <c>password</c>…) with a message that says what is expected.
/// </summary>
internal static partial class ChannelCheck
{
    public static IReadOnlyList<string> WebhookKeys { get; } = ["type", "url", "secret"];

    public static IReadOnlyList<string> EmailKeys { get; } = ["type", "host", "port", "security", "username", "password", "from", "to"];

    public static IReadOnlyList<string> Securities { get; } = ["starttls", "ssl", "none"];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex NamePattern();

    public static string? ValidateName(string? name) =>
        name is not null && NamePattern().IsMatch(name)
            ? null
            : "must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit";

    public static string? ValidateReference(string? value, string what) =>
        value is { Length: > 1 } && value[0] == '$'
            ? null
            : $"must be a $NAME reference to a secret (the {what} itself never goes in the config or the state)";

    /// <summary>The first problem of the channel as (key, message), or null when it is valid.</summary>
    public static (string Key, string Message)? Validate(NotificationChannel channel)
    {
        if (ValidateName(channel.Name) is { } bad) return ("name", bad);
        switch (channel.Kind)
        {
            case NotificationChannel.Webhook:
                if (channel.Url is null) return ("url", "is required for a webhook channel");
                if (!Uri.TryCreate(channel.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                    return ("url", $"must be an http:// or https:// URL, got \"{channel.Url}\"");
                if (channel.Secret is null) return ("secret", "is required: a $NAME reference to the secret that signs each body");
                if (ValidateReference(channel.Secret, "secret") is { } secret) return ("secret", secret);
                if (channel.SmtpHost is not null || channel.Username is not null || channel.Password is not null || channel.From is not null || channel.To.Count > 0)
                    return ("type", "a webhook channel takes only url and secret; host, username, password, from and to belong to an email channel");
                return null;
            case NotificationChannel.Email:
                if (string.IsNullOrWhiteSpace(channel.SmtpHost)) return ("host", "is required for an email channel (the SMTP server)");
                if (channel.SmtpHost.Contains(' ', StringComparison.Ordinal) || channel.SmtpHost.Contains('/', StringComparison.Ordinal))
                    return ("host", $"must be a host name or address, got \"{channel.SmtpHost}\"");
                if (channel.SmtpPort is < 1 or > 65535) return ("port", $"must be between 1 and 65535, got {channel.SmtpPort}");
                if (!Securities.Contains(channel.Security)) return ("security", $"must be one of {string.Join(", ", Securities)}, got \"{channel.Security}\"");
                if (channel.Password is not null && ValidateReference(channel.Password, "password") is { } password) return ("password", password);
                if (channel.Password is not null && string.IsNullOrEmpty(channel.Username)) return ("username", "is required when a password is set");
                if (channel.From is null || !IsAddress(channel.From)) return ("from", $"must be an email address, got \"{channel.From}\"");
                if (channel.To.Count == 0) return ("to", "needs at least one recipient address");
                if (channel.To.FirstOrDefault(a => !IsAddress(a)) is { } wrong) return ("to", $"holds \"{wrong}\", which is not an email address");
                if (channel.Url is not null || channel.Secret is not null) return ("type", "an email channel takes no url or secret; those belong to a webhook channel");
                return null;
            default:
                return ("type", $"must be \"webhook\" or \"email\", got \"{channel.Kind}\"");
        }
    }

    private static bool IsAddress(string value) => MailAddress.TryCreate(value, out var address) && address.Address == value.Trim();
}

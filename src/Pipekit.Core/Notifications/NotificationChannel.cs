namespace Pipekit.Core.Notifications;

/// <summary>
/// Where a notification goes: a <c>webhook</c> (a signed JSON POST) or an <c>email</c> (SMTP). Secrets are held as
/// <c>$NAME</c> references and resolved only when a message is sent.
/// </summary>
public sealed record NotificationChannel
{
    public const string Webhook = "webhook";
    public const string Email = "email";

    /// <summary>The row id of a channel added through the API; null for a channel of <c>pipekit.toml</c>.</summary>
    public long? Id { get; init; }

    public required string Name { get; init; }

    /// <summary><see cref="Webhook"/> or <see cref="Email"/>.</summary>
    public required string Kind { get; init; }

    /// <summary><c>config</c> (from <c>pipekit.toml</c>, changed there only) or <c>api</c> (stored in the state).</summary>
    public string Source { get; init; } = "api";

    /// <summary>The webhook's http(s) URL.</summary>
    public string? Url { get; init; }

    /// <summary>A <c>$NAME</c> reference to the secret that signs webhook bodies (HMAC-SHA256).</summary>
    public string? Secret { get; init; }

    public string? SmtpHost { get; init; }

    public int SmtpPort { get; init; } = 587;

    /// <summary><c>starttls</c> (default), <c>ssl</c> (TLS from the first byte) or <c>none</c>.</summary>
    public string Security { get; init; } = "starttls";

    public string? Username { get; init; }

    /// <summary>A <c>$NAME</c> reference to the SMTP password; never a literal value.</summary>
    public string? Password { get; init; }

    /// <summary>The <c>From</c> address.</summary>
    public string? From { get; init; }

    /// <summary>The recipients.</summary>
    public IReadOnlyList<string> To { get; init; } = [];
}

using System.Text.Json;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Pipekit.Core.Secrets;

namespace Pipekit.Core.Notifications;

/// <summary>
/// Sends one message to one channel: a webhook through <see cref="WebhookSender"/> (signed, retried with backoff), an
/// email through SMTP, retried with the same backoff on a network or server error. Secrets are resolved here, at the
/// last moment, and never written anywhere: a failure is reported with the redacted error.
/// </summary>
public sealed class NotificationDelivery(WebhookSender webhooks, SecretStore secrets, Redactor redactor, TimeProvider time, ILogger<NotificationDelivery> logger)
{
    public const int EmailAttempts = 3;

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The webhook body: the message as snake_case JSON with its one-line summary.</summary>
    public static byte[] WebhookBody(NotificationMessage m) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        m.Event, m.TargetKind, m.TargetName, m.RunId, m.Status, m.Error, m.RowCount, m.DurationSeconds, m.MedianSeconds,
        m.StartedAt, m.FinishedAt, m.ScheduledAt, m.Link, Summary = m.Subject,
        FailedMembers = m.FailedMembers.Select(f => new { f.Name, f.RunId, f.Error }),
    }, Json);

    /// <summary>Delivers the message; returns null when it arrived, else what went wrong (redacted, one line).</summary>
    public async Task<string?> SendAsync(NotificationChannel channel, NotificationMessage message, CancellationToken cancellationToken)
    {
        string? error;
        try
        {
            error = channel.Kind == NotificationChannel.Webhook
                ? await SendWebhookAsync(channel, message, cancellationToken)
                : await SendEmailAsync(channel, message, cancellationToken);
        }
        catch (SecretsException ex)
        {
            error = ex.Message;
        }
        if (error is not null)
            logger.LogWarning("Notification {Event} of {Kind} {Target} to channel {Channel} not delivered: {Error}",
                message.Event, message.TargetKind, message.TargetName, channel.Name, error);
        return error;
    }

    private async Task<string?> SendWebhookAsync(NotificationChannel channel, NotificationMessage message, CancellationToken cancellationToken)
    {
        var secret = secrets.ResolveReference(null, channel.Secret ?? "");
        var url = new Uri(channel.Url!);
        var attempts = await webhooks.SendAsync(url, WebhookBody(message), secret, cancellationToken);
        return attempts > 0 ? null : $"webhook {url.Host} did not accept the message (see the warnings before this one)";
    }

    private async Task<string?> SendEmailAsync(NotificationChannel channel, NotificationMessage message, CancellationToken cancellationToken)
    {
        var password = channel.Password is null ? null : secrets.ResolveReference(null, channel.Password);
        string? last = null;
        for (var attempt = 1; attempt <= EmailAttempts; attempt++)
        {
            if (attempt > 1) await Task.Delay(WebhookSender.Backoff(attempt - 1), time, cancellationToken);
            try
            {
                await EmailSender.SendAsync(channel, password, message, cancellationToken);
                return null;
            }
            catch (Exception ex) when (ex is AuthenticationException or SmtpCommandException { StatusCode: >= (SmtpStatusCode)500 } or FormatException)
            {
                // A refused login or a refused address will be refused again.
                return $"SMTP server {channel.SmtpHost} refused the message: {redactor.Redact(MessageOf(ex))}";
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ServiceNotConnectedException or SmtpCommandException
                or SmtpProtocolException or SslHandshakeException or TimeoutException || ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                last = redactor.Redact(MessageOf(ex));
                logger.LogWarning("SMTP server {Host} failed: {Error} (attempt {Attempt} of {Attempts})", channel.SmtpHost, last, attempt, EmailAttempts);
            }
        }
        return $"SMTP server {channel.SmtpHost} not reached after {EmailAttempts} attempts: {last}";
    }

    private static string MessageOf(Exception ex) => NotificationMessage.FirstLine(ex.Message) ?? ex.GetType().Name;
}

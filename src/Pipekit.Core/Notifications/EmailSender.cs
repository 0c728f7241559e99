using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Pipekit.Core.Notifications;

/// <summary>Sends one message through an email channel's SMTP server with MailKit; the caller retries.</summary>
internal static class EmailSender
{
    public static async Task SendAsync(NotificationChannel channel, string? password, NotificationMessage message, CancellationToken cancellationToken)
    {
        var mail = new MimeMessage();
        mail.From.Add(MailboxAddress.Parse(channel.From ?? ""));
        foreach (var to in channel.To) mail.To.Add(MailboxAddress.Parse(to));
        mail.Subject = message.Subject;
        mail.Body = new TextPart("plain") { Text = message.Body };

        using var client = new SmtpClient();
        client.Timeout = 30_000;
        var security = channel.Security switch
        {
            "ssl" => SecureSocketOptions.SslOnConnect,
            "none" => SecureSocketOptions.None,
            _ => SecureSocketOptions.StartTls,
        };
        await client.ConnectAsync(channel.SmtpHost ?? "", channel.SmtpPort, security, cancellationToken);
        if (!string.IsNullOrEmpty(channel.Username) && password is not null)
            await client.AuthenticateAsync(channel.Username, password, cancellationToken);
        await client.SendAsync(mail, cancellationToken);
        await client.DisconnectAsync(true, cancellationToken);
    }
}

using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Shop.Notifier.Channels;

/// <summary>Section "Notifier:Smtp". Without a host, mail goes to the development sink (the log).</summary>
public sealed class SmtpOptions
{
    public const string SectionName = "Notifier:Smtp";

    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public bool UseStartTls { get; set; } = true;
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "shop@shop.local";
}

public sealed class EmailChannel(IOptionsMonitor<SmtpOptions> options, ILogger<EmailChannel> logger) : INotificationChannel
{
    public string Name => "email";

    public async Task SendAsync(OutgoingNotification notification, CancellationToken cancellationToken)
    {
        var smtp = options.CurrentValue;
        if (string.IsNullOrWhiteSpace(smtp.Host) || string.IsNullOrWhiteSpace(notification.Email))
        {
            logger.LogDebug("[dev mail sink] to {Email} (user {UserId}): {Subject}: {Text}",
                notification.Email, notification.UserId, notification.Subject, notification.Text);
            return;
        }

        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(smtp.From));
        message.To.Add(MailboxAddress.Parse(notification.Email));
        message.Subject = notification.Subject;
        message.Body = new TextPart("plain") { Text = notification.Text };

        using var client = new SmtpClient();
        await client.ConnectAsync(smtp.Host, smtp.Port, smtp.UseStartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", cancellationToken);
        }
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}

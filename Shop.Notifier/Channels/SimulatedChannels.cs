namespace Shop.Notifier.Channels;

/// <summary>SMS gateway stand-in: logs what would be sent.</summary>
public sealed class SmsChannel(ILogger<SmsChannel> logger) : INotificationChannel
{
    public string Name => "sms";

    public Task SendAsync(OutgoingNotification notification, CancellationToken cancellationToken)
    {
        logger.LogDebug("[simulated sms] user {UserId}: {Text}", notification.UserId, notification.Text);
        return Task.CompletedTask;
    }
}

/// <summary>Push service stand-in: logs what would be sent.</summary>
public sealed class PushChannel(ILogger<PushChannel> logger) : INotificationChannel
{
    public string Name => "push";

    public Task SendAsync(OutgoingNotification notification, CancellationToken cancellationToken)
    {
        logger.LogDebug("[simulated push] user {UserId}: {Subject}", notification.UserId, notification.Subject);
        return Task.CompletedTask;
    }
}

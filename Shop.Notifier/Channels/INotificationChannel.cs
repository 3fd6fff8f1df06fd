namespace Shop.Notifier.Channels;

public sealed record OutgoingNotification(Guid UserId, string? Email, string Subject, string Text);

public interface INotificationChannel
{
    /// <summary>"email", "sms" or "push": stored with each notification.</summary>
    string Name { get; }

    Task SendAsync(OutgoingNotification notification, CancellationToken cancellationToken);
}

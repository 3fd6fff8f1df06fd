using Microsoft.EntityFrameworkCore;
using Shop.Notifier.Channels;
using Shop.Notifier.Infrastructure;
using Shop.Notifier.IntegrationEvents;
using Shop.Notifier.Model;

namespace Shop.Notifier.Services;

/// <summary>
/// Notifies the customer of one order event, exactly once per event id: the processed-event row and the stored
/// notifications commit together, and a redelivered event finds its row and stops.
/// </summary>
public sealed class OrderEventHandler(NotificationsDbContext db, IEnumerable<INotificationChannel> channels, TimeProvider time)
{
    /// <returns>False when the event had already been handled.</returns>
    public Task<bool> HandleAsync(OrderEvent e, string? traceId, CancellationToken cancellationToken) =>
        // Aspire's retrying execution strategy runs explicit transactions as one retriable unit.
        db.Database.CreateExecutionStrategy().ExecuteAsync(
            ct => HandleInTransactionAsync(e, traceId, ct), cancellationToken);

    private async Task<bool> HandleInTransactionAsync(OrderEvent e, string? traceId, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear(); // a retried attempt starts afresh
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var first = await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO processed_events ("EventId", "EventType", "ProcessedAt") VALUES ({e.EventId}, {e.EventType}, {now})
            ON CONFLICT DO NOTHING
            """, cancellationToken) == 1;
        if (!first)
        {
            return false;
        }

        var (subject, text) = NotificationPlan.Compose(e);
        var outgoing = new OutgoingNotification(e.UserId, e.CustomerEmail, subject, text);
        foreach (var name in NotificationPlan.ChannelsFor(e.EventType))
        {
            var channel = channels.Single(c => c.Name == name);
            await channel.SendAsync(outgoing, cancellationToken);
            db.Notifications.Add(new Notification
            {
                UserId = e.UserId,
                Channel = name,
                EventId = e.EventId,
                EventType = e.EventType,
                OrderId = e.OrderId,
                Text = text,
                CreatedAt = now,
                TraceId = traceId,
            });
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}

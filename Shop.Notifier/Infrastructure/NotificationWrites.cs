using Microsoft.EntityFrameworkCore;
using Shop.Notifier.Model;

namespace Shop.Notifier.Infrastructure;

public static class NotificationWrites
{
    /// <summary>
    /// Inserts <paramref name="notifications"/> in one statement, in their order, in the context's current transaction.
    /// Hand-written because it runs for every order event: EF Core's SaveChanges cost more CPU than the insert itself
    /// (the same finding as order-api's writes, README "Measured"). Column names are the model's.
    /// </summary>
    public static Task<int> InsertNotificationsAsync(this NotificationsDbContext db, IReadOnlyList<Notification> notifications,
        CancellationToken cancellationToken)
    {
        var userIds = notifications.Select(n => n.UserId).ToArray();
        var channels = notifications.Select(n => n.Channel).ToArray();
        var eventIds = notifications.Select(n => n.EventId).ToArray();
        var eventTypes = notifications.Select(n => n.EventType).ToArray();
        var orderIds = notifications.Select(n => n.OrderId).ToArray();
        var texts = notifications.Select(n => n.Text).ToArray();
        var createdAts = notifications.Select(n => n.CreatedAt).ToArray();
        var traceIds = notifications.Select(n => n.TraceId).ToArray();
        return db.Database.ExecuteStatementAsync(
            $"""
            INSERT INTO notifications ("UserId", "Channel", "EventId", "EventType", "OrderId", "Text", "CreatedAt", "TraceId")
            SELECT n.user_id, n.channel, n.event_id, n.event_type, n.order_id, n.text, n.created_at, n.trace_id
            FROM unnest({userIds}, {channels}, {eventIds}, {eventTypes}, {orderIds}, {texts}, {createdAts}, {traceIds}) WITH ORDINALITY
                AS n(user_id, channel, event_id, event_type, order_id, text, created_at, trace_id, ordinal)
            ORDER BY n.ordinal
            """, cancellationToken);
    }
}

using Microsoft.EntityFrameworkCore;
using Shop.Notifier.Channels;
using Shop.Notifier.Infrastructure;
using Shop.Notifier.IntegrationEvents;
using Shop.Notifier.Model;

namespace Shop.Notifier.Services;

/// <summary>An order event as consumed, with the trace it arrived in (stored with its notifications).</summary>
public sealed record ReceivedEvent(OrderEvent Event, string? TraceId);

/// <summary>
/// Notifies customers of order events, exactly once per event id: the processed-event rows and the stored
/// notifications of a batch commit together, and a redelivered event finds its row and is skipped.
/// </summary>
public sealed class OrderEventHandler(NotificationsDbContext db, IEnumerable<INotificationChannel> channels, TimeProvider time)
{
    /// <returns>False when the event had already been handled.</returns>
    public async Task<bool> HandleAsync(OrderEvent e, string? traceId, CancellationToken cancellationToken) =>
        await HandleBatchAsync([new ReceivedEvent(e, traceId)], cancellationToken) == 1;

    /// <summary>
    /// Handles <paramref name="events"/> in one transaction, so a batch costs the database one commit instead of one per
    /// event. All or nothing: on an exception nothing is stored and the caller handles the events one by one.
    /// </summary>
    /// <returns>How many of the events were new (an event handled before, or twice in the batch, counts once or not at all).</returns>
    public Task<int> HandleBatchAsync(IReadOnlyList<ReceivedEvent> events, CancellationToken cancellationToken) =>
        // Aspire's retrying execution strategy runs explicit transactions as one retriable unit.
        db.Database.CreateExecutionStrategy().ExecuteAsync(
            ct => HandleInTransactionAsync(events, ct), cancellationToken);

    private async Task<int> HandleInTransactionAsync(IReadOnlyList<ReceivedEvent> events, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var ids = events.Select(r => r.Event.EventId).ToArray();
        var types = events.Select(r => r.Event.EventType).ToArray();
        var firstSeen = (await db.Database.QueryStatementAsync(
            $"""
            INSERT INTO processed_events ("EventId", "EventType", "ProcessedAt")
            SELECT e.id, e.type, {now} FROM unnest({ids}, {types}) AS e(id, type)
            ON CONFLICT DO NOTHING
            RETURNING "EventId"
            """, row => row.GetGuid(0), cancellationToken)).ToHashSet();
        var handled = 0;
        var sent = new List<Notification>();
        foreach (var (e, traceId) in events)
        {
            if (!firstSeen.Remove(e.EventId)) continue;
            await NotifyAsync(e, traceId, now, sent, cancellationToken);
            handled++;
        }
        if (handled == 0)
        {
            return 0;
        }
        await db.InsertNotificationsAsync(sent, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return handled;
    }

    private async Task NotifyAsync(OrderEvent e, string? traceId, DateTimeOffset now, List<Notification> sent, CancellationToken cancellationToken)
    {
        var (subject, text) = NotificationPlan.Compose(e);
        var outgoing = new OutgoingNotification(e.UserId, e.CustomerEmail, subject, text);
        foreach (var name in NotificationPlan.ChannelsFor(e.EventType))
        {
            var channel = channels.Single(c => c.Name == name);
            await channel.SendAsync(outgoing, cancellationToken);
            sent.Add(new Notification
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
    }
}

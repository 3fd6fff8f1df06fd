using System.Diagnostics;
using System.Text.Json;
using Shop.OrderApi.Infrastructure;
using Shop.OrderApi.Model;

namespace Shop.OrderApi.IntegrationEvents;

public static class OutboxExtensions
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Adds the event for the order's current state to the outbox; saved by the caller's SaveChanges (one transaction).</summary>
    public static void AddOrderEvent(this OrdersDbContext db, Order order, DateTimeOffset now) =>
        db.OutboxMessages.Add(OutboxMessageFor(order, now));

    /// <summary>The outbox row carrying the event for the order's current state, in the current trace.</summary>
    public static OutboxMessage OutboxMessageFor(Order order, DateTimeOffset now)
    {
        var @event = OrderEventTypes.For(order, now);
        return new OutboxMessage
        {
            EventId = @event.EventId,
            EventType = @event.EventType,
            OrderId = order.Id,
            // Serialized as its runtime type so every field of the versioned record is written.
            Payload = JsonSerializer.Serialize(@event, @event.GetType(), Json),
            TraceParent = Activity.Current?.Id,
            OccurredAt = now,
        };
    }
}

using System.Globalization;
using Shop.Notifier.IntegrationEvents;

namespace Shop.Notifier.Services;

/// <summary>What each order event tells the customer, and on which channels.</summary>
public static class NotificationPlan
{
    public static IReadOnlyList<string> ChannelsFor(string eventType) => eventType switch
    {
        "order.shipped" or "order.cancelled" => ["email", "sms", "push"],
        _ => ["email", "push"],
    };

    public static (string Subject, string Text) Compose(OrderEvent e)
    {
        // The last digits: order ids are UUIDv7, whose first digits are the creation time, shared by orders of one minute.
        var reference = e.OrderId.ToString()[^8..];
        var total = e.Total.ToString("0.00", CultureInfo.InvariantCulture) + " " + e.Currency;
        return e.EventType switch
        {
            "order.created" => ($"Order {reference} received", $"We received your order {reference} ({total}). It is waiting for payment."),
            "order.paid" => ($"Order {reference} paid", $"Thank you: your payment of {total} for order {reference} was accepted."),
            "order.shipped" => ($"Order {reference} shipped", $"Your order {reference} is on its way."),
            "order.delivered" => ($"Order {reference} delivered", $"Your order {reference} was delivered. Enjoy!"),
            "order.cancelled" => ($"Order {reference} cancelled", $"Your order {reference} was cancelled; any payment of {total} is refunded."),
            _ => throw new PoisonMessageException($"No notification for '{e.EventType}'."),
        };
    }
}

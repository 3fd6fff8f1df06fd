using Shop.OrderApi.Model;

namespace Shop.OrderApi.IntegrationEvents;

public sealed record OrderEventLine(Guid ProductId, string Sku, string Name, decimal UnitPrice, int Quantity);

/// <summary>
/// The shape every order event shares, version 1. Consumers read fields by name; a breaking change gets a new
/// version (and a new record) rather than a changed one.
/// </summary>
public abstract record OrderEvent(Guid EventId, DateTimeOffset OccurredAt, Guid OrderId, Guid UserId, string CustomerEmail, string Status,
    decimal Total, string Currency, IReadOnlyList<OrderEventLine> Lines)
{
    public abstract string EventType { get; }
    public int Version => 1;
}

public sealed record OrderCreatedV1(Guid EventId, DateTimeOffset OccurredAt, Guid OrderId, Guid UserId, string CustomerEmail, string Status,
    decimal Total, string Currency, IReadOnlyList<OrderEventLine> Lines)
    : OrderEvent(EventId, OccurredAt, OrderId, UserId, CustomerEmail, Status, Total, Currency, Lines)
{
    public override string EventType => OrderEventTypes.Created;
}

public sealed record OrderPaidV1(Guid EventId, DateTimeOffset OccurredAt, Guid OrderId, Guid UserId, string CustomerEmail, string Status,
    decimal Total, string Currency, IReadOnlyList<OrderEventLine> Lines, string PaymentReference)
    : OrderEvent(EventId, OccurredAt, OrderId, UserId, CustomerEmail, Status, Total, Currency, Lines)
{
    public override string EventType => OrderEventTypes.Paid;
}

public sealed record OrderShippedV1(Guid EventId, DateTimeOffset OccurredAt, Guid OrderId, Guid UserId, string CustomerEmail, string Status,
    decimal Total, string Currency, IReadOnlyList<OrderEventLine> Lines)
    : OrderEvent(EventId, OccurredAt, OrderId, UserId, CustomerEmail, Status, Total, Currency, Lines)
{
    public override string EventType => OrderEventTypes.Shipped;
}

public sealed record OrderDeliveredV1(Guid EventId, DateTimeOffset OccurredAt, Guid OrderId, Guid UserId, string CustomerEmail, string Status,
    decimal Total, string Currency, IReadOnlyList<OrderEventLine> Lines)
    : OrderEvent(EventId, OccurredAt, OrderId, UserId, CustomerEmail, Status, Total, Currency, Lines)
{
    public override string EventType => OrderEventTypes.Delivered;
}

public sealed record OrderCancelledV1(Guid EventId, DateTimeOffset OccurredAt, Guid OrderId, Guid UserId, string CustomerEmail, string Status,
    decimal Total, string Currency, IReadOnlyList<OrderEventLine> Lines, string Reason, string? RefundReference)
    : OrderEvent(EventId, OccurredAt, OrderId, UserId, CustomerEmail, Status, Total, Currency, Lines)
{
    public override string EventType => OrderEventTypes.Cancelled;
}

public static class OrderEventTypes
{
    public const string Created = "order.created";
    public const string Paid = "order.paid";
    public const string Shipped = "order.shipped";
    public const string Delivered = "order.delivered";
    public const string Cancelled = "order.cancelled";

    /// <summary>The event describing the order's current state, after a transition.</summary>
    public static OrderEvent For(Order order, DateTimeOffset now)
    {
        var id = Guid.CreateVersion7();
        var status = order.Status.ToString().ToLowerInvariant();
        IReadOnlyList<OrderEventLine> lines = [.. order.Items.Select(i => new OrderEventLine(i.ProductId, i.Sku, i.ProductName, i.UnitPrice, i.Quantity))];
        return order.Status switch
        {
            OrderStatus.Pending => new OrderCreatedV1(id, now, order.Id, order.UserId, order.CustomerEmail, status, order.Total, order.Currency, lines),
            OrderStatus.Paid => new OrderPaidV1(id, now, order.Id, order.UserId, order.CustomerEmail, status, order.Total, order.Currency, lines, order.PaymentReference ?? ""),
            OrderStatus.Shipped => new OrderShippedV1(id, now, order.Id, order.UserId, order.CustomerEmail, status, order.Total, order.Currency, lines),
            OrderStatus.Delivered => new OrderDeliveredV1(id, now, order.Id, order.UserId, order.CustomerEmail, status, order.Total, order.Currency, lines),
            OrderStatus.Cancelled => new OrderCancelledV1(id, now, order.Id, order.UserId, order.CustomerEmail, status, order.Total, order.Currency, lines,
                order.CancellationReason ?? "", order.RefundReference),
            _ => throw new ArgumentOutOfRangeException(nameof(order), order.Status, "No event for this status."),
        };
    }
}

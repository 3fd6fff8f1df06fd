namespace Shop.OrderApi.Model;

public sealed class Order
{
    private readonly List<OrderItem> _items = [];

    private Order() { }

    public Guid Id { get; private set; }
    public Guid UserId { get; private set; }

    /// <summary>Where the customer is notified, as UserApi knew it when the order was placed.</summary>
    public string CustomerEmail { get; private set; } = "";
    public OrderStatus Status { get; private set; }
    public string Currency { get; private set; } = "";
    public decimal Total { get; private set; }
    public ShippingAddress ShippingAddress { get; private set; } = null!;
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public string? PaymentReference { get; private set; }
    public string? RefundReference { get; private set; }
    public string? CancellationReason { get; private set; }

    /// <summary>Set once the stock reserved for a cancelled order has been given back (retried until it is).</summary>
    public DateTimeOffset? StockReleasedAt { get; private set; }

    /// <summary>PostgreSQL's xmin: concurrent transitions of one order cannot both win.</summary>
    public uint Version { get; private set; }

    public IReadOnlyList<OrderItem> Items => _items;

    public static Order Create(Guid id, Guid userId, string customerEmail, ShippingAddress address, PricedOrder priced, DateTimeOffset now)
    {
        var order = new Order
        {
            Id = id,
            UserId = userId,
            CustomerEmail = customerEmail,
            Status = OrderStatus.Pending,
            Currency = priced.Currency,
            Total = priced.Total,
            ShippingAddress = address,
            CreatedAt = now,
            UpdatedAt = now,
        };
        order._items.AddRange(priced.Lines.Select(l => new OrderItem(l.ProductId, l.Sku, l.Name, l.UnitPrice, l.Quantity)));
        return order;
    }

    public void MarkPaid(string paymentReference, DateTimeOffset now)
    {
        MoveTo(OrderStatus.Paid, now);
        PaymentReference = paymentReference;
    }

    public void Ship(DateTimeOffset now) => MoveTo(OrderStatus.Shipped, now);

    public void Deliver(DateTimeOffset now) => MoveTo(OrderStatus.Delivered, now);

    /// <summary>Cancels; a paid order is refunded (simulated: the refund always succeeds and leaves a reference).</summary>
    public void Cancel(string reason, DateTimeOffset now)
    {
        var wasPaid = Status == OrderStatus.Paid;
        MoveTo(OrderStatus.Cancelled, now);
        CancellationReason = reason;
        if (wasPaid)
        {
            RefundReference = $"refund_{Id:N}";
        }
    }

    public void MarkStockReleased(DateTimeOffset now) => StockReleasedAt = now;

    private void MoveTo(OrderStatus next, DateTimeOffset now)
    {
        OrderStateMachine.EnsureCanTransition(Status, next);
        Status = next;
        UpdatedAt = now;
    }
}

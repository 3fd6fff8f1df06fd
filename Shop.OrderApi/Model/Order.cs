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

    /// <summary>
    /// The payment attempt under way (recorded, provider maybe called, outcome not yet written). While set, the
    /// order can be neither cancelled nor paid again: a charge never races a cancellation.
    /// </summary>
    public Guid? PaymentInProgressId { get; private set; }

    /// <summary>Set once the stock reserved for a cancelled order has been given back (retried until it is).</summary>
    public DateTimeOffset? StockReleasedAt { get; private set; }

    /// <summary>PostgreSQL's xmin: concurrent transitions of one order cannot both win.</summary>
    public uint Version { get; private set; }

    /// <summary>
    /// The lines in the order they were placed: their ids are given in that order when the order is stored. EF Core
    /// fills the list in the order PostgreSQL returns the rows, which is none in particular, so it is put back in id
    /// order when read (answers and events then list the lines alike every time). Lines not stored yet (id 0) keep the
    /// order they were added in.
    /// </summary>
    public IReadOnlyList<OrderItem> Items
    {
        get
        {
            if (!InIdOrder(_items)) _items.Sort(static (a, b) => a.Id.CompareTo(b.Id));
            return _items;
        }
    }

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

    /// <summary>
    /// An order as a hand-written statement read it back (<see cref="Infrastructure.PaymentWrites"/>); EF Core
    /// materializes orders everywhere else. <paramref name="version"/> is the row's xmin.
    /// </summary>
    internal static Order Restore(Guid id, Guid userId, string customerEmail, OrderStatus status, string currency, decimal total,
        ShippingAddress shippingAddress, DateTimeOffset createdAt, DateTimeOffset updatedAt, string? paymentReference,
        string? refundReference, string? cancellationReason, Guid? paymentInProgressId, DateTimeOffset? stockReleasedAt, uint version,
        IEnumerable<OrderItem> items)
    {
        var order = new Order
        {
            Id = id,
            UserId = userId,
            CustomerEmail = customerEmail,
            Status = status,
            Currency = currency,
            Total = total,
            ShippingAddress = shippingAddress,
            CreatedAt = createdAt,
            UpdatedAt = updatedAt,
            PaymentReference = paymentReference,
            RefundReference = refundReference,
            CancellationReason = cancellationReason,
            PaymentInProgressId = paymentInProgressId,
            StockReleasedAt = stockReleasedAt,
            Version = version,
        };
        order._items.AddRange(items);
        return order;
    }

    private static bool InIdOrder(List<OrderItem> items)
    {
        for (var i = 1; i < items.Count; i++)
        {
            if (items[i - 1].Id > items[i].Id) return false;
        }
        return true;
    }

    public void MarkPaid(string paymentReference, DateTimeOffset now)
    {
        MoveTo(OrderStatus.Paid, now);
        PaymentReference = paymentReference;
    }

    /// <summary>Holds the order for payment attempt <paramref name="paymentId"/> (saved before the provider is called).</summary>
    public void BeginPayment(Guid paymentId, DateTimeOffset now)
    {
        EnsureNoPaymentInProgress();
        OrderStateMachine.EnsureCanTransition(Status, OrderStatus.Paid);
        PaymentInProgressId = paymentId;
        UpdatedAt = now;
    }

    /// <summary>The attempt was captured: the order is paid and the hold ends.</summary>
    public void CompletePayment(Guid paymentId, string paymentReference, DateTimeOffset now)
    {
        EnsureHeldFor(paymentId);
        PaymentInProgressId = null;
        MarkPaid(paymentReference, now);
    }

    /// <summary>The attempt was declined or voided: the order stays pending and can be paid or cancelled again.</summary>
    public void AbandonPayment(Guid paymentId, DateTimeOffset now)
    {
        EnsureHeldFor(paymentId);
        PaymentInProgressId = null;
        UpdatedAt = now;
    }

    public void Ship(DateTimeOffset now) => MoveTo(OrderStatus.Shipped, now);

    public void Deliver(DateTimeOffset now) => MoveTo(OrderStatus.Delivered, now);

    /// <summary>Cancels; the refund of a paid order's payment is recorded with it and confirmed by <see cref="MarkRefunded"/>.</summary>
    public void Cancel(string reason, DateTimeOffset now)
    {
        EnsureNoPaymentInProgress();
        MoveTo(OrderStatus.Cancelled, now);
        CancellationReason = reason;
    }

    /// <summary>The provider refunded the payment of this cancelled order.</summary>
    public void MarkRefunded(string refundReference, DateTimeOffset now)
    {
        RefundReference = refundReference;
        UpdatedAt = now;
    }

    public void MarkStockReleased(DateTimeOffset now) => StockReleasedAt = now;

    private void EnsureNoPaymentInProgress()
    {
        if (PaymentInProgressId is not null)
        {
            throw new PaymentInProgressException(Id);
        }
    }

    private void EnsureHeldFor(Guid paymentId)
    {
        if (PaymentInProgressId != paymentId)
        {
            throw new InvalidOperationException($"Order {Id} is not held for payment {paymentId}.");
        }
    }

    private void MoveTo(OrderStatus next, DateTimeOffset now)
    {
        OrderStateMachine.EnsureCanTransition(Status, next);
        Status = next;
        UpdatedAt = now;
    }
}

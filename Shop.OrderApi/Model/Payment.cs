namespace Shop.OrderApi.Model;

/// <summary>
/// One attempt to pay an order, recorded before the provider is called. <see cref="Id"/> is the provider's
/// idempotency key: a retry of the same attempt can never charge twice. Amount in <see cref="Currency"/> units
/// (ISO 4217, two decimals).
/// </summary>
public sealed class Payment
{
    private Payment() { }

    public Guid Id { get; private set; }
    public Guid OrderId { get; private set; }
    public decimal Amount { get; private set; }
    public string Currency { get; private set; } = "";
    public PaymentStatus Status { get; private set; }

    /// <summary>The provider's reference of the charge (also of a declined one).</summary>
    public string? ProviderReference { get; private set; }
    public string? DeclineReason { get; private set; }
    public string? RefundReference { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>PostgreSQL's xmin: a request and the reconciler settling one attempt cannot both win.</summary>
    public uint Version { get; private set; }

    /// <summary>A new Pending attempt with a fresh id, holding <paramref name="order"/> for it (<see cref="Order.BeginPayment"/>).</summary>
    /// <exception cref="PaymentInProgressException">Another attempt holds the order.</exception>
    /// <exception cref="IllegalOrderTransitionException">The order cannot become paid (it is not pending).</exception>
    public static Payment BeginFor(Order order, DateTimeOffset now)
    {
        var payment = Start(Guid.CreateVersion7(), order, now);
        order.BeginPayment(payment.Id, now);
        return payment;
    }

    public static Payment Start(Guid id, Order order, DateTimeOffset now) => new()
    {
        Id = id,
        OrderId = order.Id,
        Amount = order.Total,
        Currency = order.Currency,
        Status = PaymentStatus.Pending,
        CreatedAt = now,
        UpdatedAt = now,
    };

    public void Capture(string providerReference, DateTimeOffset now) =>
        Settle(PaymentStatus.Pending, PaymentStatus.Captured, now, () => ProviderReference = providerReference);

    public void Decline(string? providerReference, string? reason, DateTimeOffset now) =>
        Settle(PaymentStatus.Pending, PaymentStatus.Declined, now, () => (ProviderReference, DeclineReason) = (providerReference, reason));

    /// <summary>The provider never charged this attempt, and now never will (its key is voided there).</summary>
    public void Void(DateTimeOffset now) => Settle(PaymentStatus.Pending, PaymentStatus.Voided, now, () => { });

    /// <summary>Recorded in the same transaction as the order's cancellation; the refund itself follows.</summary>
    public void RequestRefund(DateTimeOffset now) => Settle(PaymentStatus.Captured, PaymentStatus.RefundPending, now, () => { });

    public void MarkRefunded(string refundReference, DateTimeOffset now) =>
        Settle(PaymentStatus.RefundPending, PaymentStatus.Refunded, now, () => RefundReference = refundReference);

    private void Settle(PaymentStatus from, PaymentStatus to, DateTimeOffset now, Action apply)
    {
        if (Status != from)
        {
            throw new InvalidOperationException($"A payment that is {Status} cannot become {to}.");
        }
        apply();
        Status = to;
        UpdatedAt = now;
    }
}

/// <summary>Pending → Captured | Declined | Voided; Captured → RefundPending → Refunded.</summary>
public enum PaymentStatus
{
    Pending,
    Captured,
    Declined,
    Voided,
    RefundPending,
    Refunded,
}

namespace Shop.BasketApi.Model;

/// <summary>What a checkout ended in: an order order-api confirmed, or order-api's refusal as it gave it.</summary>
public abstract record CheckoutOutcome
{
    /// <param name="Replayed">order-api had already created this order for the same cart version (a double submit).</param>
    public sealed record Placed(PlacedOrder Order, bool Replayed) : CheckoutOutcome;

    /// <summary>
    /// order-api's refusal: its status (409 out of stock naming the lines, 400/422 with field errors, 503 …), its
    /// RFC 7807 body unchanged, and its Retry-After. The cart is kept.
    /// </summary>
    public sealed record Refused(int Status, string Problem, TimeSpan? RetryAfter) : CheckoutOutcome;
}

/// <summary>
/// The order a checkout created, as order-api reported it: <c>Total</c> in <c>Currency</c> (ISO 4217), <c>Status</c>
/// as order-api names it ("pending" until paid).
/// </summary>
public sealed record PlacedOrder(Guid OrderId, string Status, decimal Total, string Currency, IReadOnlyList<PlacedOrderLine> Items,
    DateTimeOffset CreatedAt);

public sealed record PlacedOrderLine(Guid ProductId, string Name, decimal UnitPrice, int Quantity, decimal LineTotal);

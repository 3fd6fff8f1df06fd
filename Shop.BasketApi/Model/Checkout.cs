namespace Shop.BasketApi.Model;

/// <summary>A checkout order-api confirmed (its refusals are thrown as the refusal they stand for).</summary>
/// <param name="Replayed">order-api had already created this order for the same cart version (a double submit).</param>
public sealed record PlacedCheckout(PlacedOrder Order, bool Replayed);

/// <summary>
/// The order a checkout created, as order-api reported it: <c>Total</c> in <c>Currency</c> (ISO 4217), <c>Status</c>
/// as order-api names it ("pending" until paid).
/// </summary>
public sealed record PlacedOrder(Guid OrderId, string Status, decimal Total, string Currency, IReadOnlyList<PlacedOrderLine> Items,
    DateTimeOffset CreatedAt);

public sealed record PlacedOrderLine(Guid ProductId, string Name, decimal UnitPrice, int Quantity, decimal LineTotal);

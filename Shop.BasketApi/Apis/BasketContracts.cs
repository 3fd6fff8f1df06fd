using Shop.ServiceDefaults.OpenApi;
using Shop.BasketApi.Model;

namespace Shop.BasketApi.Apis;

/// <summary>PUT /api/basket/lines/{productId}: the line's new quantity (1–100).</summary>
public sealed record SetLineRequest(int? Quantity);

/// <summary>POST /api/basket/merge: the anonymous cart (its Cart-Id) to move into the signed-in shopper's cart.</summary>
public sealed record MergeRequest(string? CartId);

/// <summary>
/// POST /api/basket/checkout: where the order goes, and optionally how it is paid in the same request (order-api's
/// create-order fields and rules: <c>shippingAddress</c>, <c>payment</c>), and the cart as the shopper reviewed it
/// (optional, each checked when given, nothing ordered on a mismatch): its <c>version</c> (409 "Cart Changed"), its
/// <c>subtotal</c> and that subtotal's <c>currency</c> (409 "Prices Changed").
/// </summary>
public sealed record CheckoutRequest(ShippingAddress? ShippingAddress, CardPayment? Payment = null, long? Version = null, decimal? Subtotal = null,
    string? Currency = null)
    : IOpenApiExample<CheckoutRequest>
{
    public static CheckoutRequest Example => new(
        new ShippingAddress("Ada Lovelace", "12 St James's Square", null, "London", "SW1Y 4JH", "GB"),
        new CardPayment("card", "4242424242424242"), Version: 3, Subtotal: 86.50m, Currency: "EUR");
}

/// <summary>201 of a checkout: the order order-api created (<c>Replayed</c> when a double submit found it already made).</summary>
public sealed record CheckoutResponse(Guid OrderId, string Status, decimal Total, string Currency, IReadOnlyList<PlacedOrderLine> Items,
    DateTimeOffset CreatedAt, bool Replayed);

using Shop.OrderApi.Model;
using Shop.ServiceDefaults.OpenApi;

namespace Shop.OrderApi.Apis;

/// <param name="Payment">When given, the new order is paid in the same request (checkout in one call); otherwise it
/// stays pending until <c>POST /api/orders/{id}/pay</c>.</param>
/// <param name="ExpectedTotal">The total the customer was shown, in the catalog's currency (2 decimals). When given, an
/// order whose total at the reservation's prices differs is refused (409 "Prices Changed", naming the <c>total</c> and
/// <c>currency</c>): nothing is stored, reserved or charged. A replay answers with the stored order whatever it expects.</param>
/// <param name="ExpectedCurrency">The currency the customer was shown (ISO 4217, such as EUR): refused the same way when the
/// reservation prices the order in another one, whether or not <c>expectedTotal</c> is given.</param>
public sealed record CreateOrderRequest(List<OrderLineRequest>? Items, ShippingAddressRequest? ShippingAddress, PayOrderRequest? Payment = null,
    decimal? ExpectedTotal = null, string? ExpectedCurrency = null)
    : IOpenApiExample<CreateOrderRequest>
{
    public static CreateOrderRequest Example => new(
        [new OrderLineRequest("0199a3c4-5b6d-7e8f-9a0b-1c2d3e4f5a6b", 2)],
        new ShippingAddressRequest("Ada Lovelace", "12 St James's Square", null, "London", "SW1Y 4JH", "GB"),
        new PayOrderRequest("card", "4242424242424242"), ExpectedTotal: 25.00m, ExpectedCurrency: "EUR");

    /// <summary>
    /// The fingerprint an Idempotency-Key is bound to (<see cref="RequestHash"/>): the order's lines and address. The
    /// payment is left out: a card number is never stored, not even hashed (PCI DSS 3.5.1 asks for a keyed hash at
    /// least), and a replay never charges again, whatever card it carries. The expected total and currency are left out
    /// too: they are a condition on placing the order, not part of it. So is a line's price, which the catalog sets: a
    /// retry that carries another guess at it is the same request.
    /// </summary>
    public string Fingerprint() =>
        RequestHash.Compute(new { Items = Items?.Select(line => new { line.ProductId, line.Quantity }), ShippingAddress });
}

/// <summary>A client may send a price: it is ignored, the server prices from the catalog.</summary>
public sealed record OrderLineRequest(string? ProductId, int Quantity, decimal? Price = null);

public sealed record ShippingAddressRequest(string? Name, string? Line1, string? Line2, string? City, string? PostalCode, string? Country);

public sealed record PayOrderRequest(string? Method, string? CardNumber) : IOpenApiExample<PayOrderRequest>
{
    public static PayOrderRequest Example => new("card", "4242424242424242");

    // A record's ToString prints its members: a card number must not reach a log line, even by accident.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Method = ").Append(Method).Append(", CardNumber = (not shown)");
        return true;
    }
}

public sealed record ChangeOrderStatusRequest(string? Status);

public sealed record OrderLineResponse(Guid ProductId, string Sku, string Name, decimal UnitPrice, int Quantity, decimal LineTotal);

public sealed record OrderResponse(
    Guid Id,
    Guid UserId,
    string Status,
    string Currency,
    decimal Total,
    ShippingAddress ShippingAddress,
    IReadOnlyList<OrderLineResponse> Items,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? PaymentReference,
    string? RefundReference,
    string? CancellationReason,
    bool PaymentInProgress,
    bool Refunded)
{
    public static OrderResponse From(Order order) => new(
        order.Id, order.UserId, order.Status.ToApiName(), order.Currency, order.Total, order.ShippingAddress,
        [.. order.Items.Select(i => new OrderLineResponse(i.ProductId, i.Sku, i.ProductName, i.UnitPrice, i.Quantity, i.LineTotal))],
        order.CreatedAt, order.UpdatedAt, order.PaymentReference, order.RefundReference, order.CancellationReason,
        order.PaymentInProgressId is not null, order.RefundReference is not null);
}


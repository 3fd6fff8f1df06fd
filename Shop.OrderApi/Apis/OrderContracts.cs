using Shop.OrderApi.Model;

namespace Shop.OrderApi.Apis;

public sealed record CreateOrderRequest(List<OrderLineRequest>? Items, ShippingAddressRequest? ShippingAddress);

/// <summary>A client may send a price: it is ignored, the server prices from the catalog.</summary>
public sealed record OrderLineRequest(string? ProductId, int Quantity, decimal? Price = null);

public sealed record ShippingAddressRequest(string? Name, string? Line1, string? Line2, string? City, string? PostalCode, string? Country);

public sealed record PayOrderRequest(string? Method, string? CardNumber);

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

public sealed record OrderPage(IReadOnlyList<OrderResponse> Items, int Page, int PageSize, int Total);

using System.Globalization;
using Grpc.Core;
using Shop.BasketApi.Grpc.V1;
using Shop.BasketApi.Model;
using Shop.BasketApi.Services;
using Shop.ServiceDefaults.Refusals;
using BasketModel = Shop.BasketApi.Model.Basket;

namespace Shop.BasketApi.Grpc;

/// <summary>
/// basket.v1.Basket for service callers, on the internal "grpc" endpoint only (the gateway routes no gRPC): the caller
/// names the cart. Same rules and refusals as the HTTP API, sent as gRPC statuses by the shared RefusalInterceptor
/// (a google.rpc.BadRequest names the field).
/// </summary>
public sealed class BasketGrpcService(BasketService baskets) : V1.Basket.BasketBase
{
    public override async Task<BasketReply> GetBasket(GetBasketRequest request, ServerCallContext context) =>
        ToReply(await baskets.GetAsync(Owner(request.Cart), context.CancellationToken));

    public override async Task<BasketReply> SetLine(SetLineRequest request, ServerCallContext context)
    {
        var owner = Owner(request.Cart);
        if (!Guid.TryParse(request.ProductId, out var productId) || productId == Guid.Empty)
        {
            throw InvalidRefusal.Field("product_id", "The product id must be a UUID.");
        }
        return ToReply(await baskets.SetLineAsync(owner, productId, request.Quantity, context.CancellationToken));
    }

    public override async Task<ClearReply> Clear(ClearRequest request, ServerCallContext context)
    {
        await baskets.ClearAsync(Owner(request.Cart));
        return new ClearReply();
    }

    private static BasketOwner Owner(CartRef? cart)
    {
        switch (cart?.OwnerCase)
        {
            case CartRef.OwnerOneofCase.UserId when Guid.TryParse(cart.UserId, out var userId) && userId != Guid.Empty:
                return new BasketOwner.Shopper(userId);
            case CartRef.OwnerOneofCase.UserId:
                throw InvalidRefusal.Field("cart.user_id", "The user id must be a UUID.");
            case CartRef.OwnerOneofCase.CartId when CartId.TryParse(cart.CartId, out var cartId):
                return new BasketOwner.Anonymous(cartId.Value);
            case CartRef.OwnerOneofCase.CartId:
                throw InvalidRefusal.Field("cart.cart_id", $"The cart id must be one this API issued ({CartId.Length} base64url characters).");
            default:
                throw InvalidRefusal.Field("cart", "Name the cart by user_id or cart_id.");
        }
    }

    private static BasketReply ToReply(BasketModel basket) => new()
    {
        Version = basket.Version,
        Subtotal = basket.Subtotal?.ToString(CultureInfo.InvariantCulture) ?? "",
        Currency = basket.Currency ?? "",
        ItemCount = basket.ItemCount,
        Lines =
        {
            basket.Lines.Select(l => new BasketLineReply
            {
                ProductId = l.ProductId.ToString(),
                Name = l.Name,
                UnitPrice = l.UnitPrice.ToString(CultureInfo.InvariantCulture),
                PriceWhenAdded = l.PriceWhenAdded.ToString(CultureInfo.InvariantCulture),
                Currency = l.Currency ?? "",
                CurrencyWhenAdded = l.CurrencyWhenAdded ?? "",
                Quantity = l.Quantity,
                Available = l.Available,
                PriceChanged = l.PriceChanged,
                OutOfStock = l.OutOfStock,
            }),
        },
    };
}

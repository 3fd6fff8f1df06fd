using Shop.BasketApi.Infrastructure;
using Shop.BasketApi.Model;
using Shop.ServiceDefaults.Refusals;

namespace Shop.BasketApi.Services;

/// <summary>
/// Turns a shopper's cart into an order through order-api. The Idempotency-Key is a function of the cart's instance
/// and version, so two submits of one cart state make one order. The cart is cleared only after order-api confirmed,
/// and only if it was not changed meanwhile: a refusal, a lost answer or a crash leaves it as it was, and submitting
/// it again replays the same order (at-least-once clearing, never a lost cart). A submit that finds the cart already
/// cleared by an earlier one replays that one's order from the checked-out copy (<see cref="RedisBasketStore.CheckedOutKept"/>).
/// </summary>
public sealed partial class CheckoutService(RedisBasketStore store, OrdersClient orders, ILogger<CheckoutService> logger)
{
    /// <exception cref="UnprocessableRefusal">The cart has no lines, and no cart was checked out in the last
    /// <see cref="RedisBasketStore.CheckedOutKept"/> without a cart being started or cleared since
    /// (<see cref="BasketRefusals.EmptyBasket"/>).</exception>
    /// <exception cref="UnavailableRefusal">order-api or the basket store did not answer; the cart is kept.</exception>
    /// <exception cref="ShopRefusal">order-api's refusal (409 out of stock naming the lines, 400/422 with field errors,
    /// 503 …) as <see cref="OrdersClient.CreateOrderAsync"/> maps it; the cart is kept.</exception>
    public async Task<PlacedCheckout> CheckoutAsync(BasketOwner.Shopper shopper, string bearerToken, ShippingAddress? address,
        CancellationToken cancellationToken)
    {
        var cart = await store.ReadAsync(shopper);
        // No cart since the last checkout: a repeated submit of that cart state, so the same order.
        var replaying = cart.Instance is null;
        if (replaying) cart = await store.ReadCheckedOutAsync(shopper);
        if (cart.Lines.Count == 0) throw BasketRefusals.EmptyBasket();

        var placed = await orders.CreateOrderAsync(bearerToken, IdempotencyKey(cart), cart.Lines, address, cancellationToken);
        if (!replaying && !await store.CheckOutIfUnchangedAsync(shopper, cart.Version))
        {
            LogCartChanged(logger, placed.Order.OrderId, cart.Version);
        }
        return placed;
    }

    /// <summary>order-api scopes keys per user; the instance keeps a new cart's version 1 from replaying an old cart's order.</summary>
    internal static string IdempotencyKey(StoredBasket cart) => $"basket-{cart.Instance}-{cart.Version}";

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} placed from cart version {Version}; the cart changed or was checked out meanwhile, and is not cleared again")]
    private static partial void LogCartChanged(ILogger logger, Guid orderId, long version);
}

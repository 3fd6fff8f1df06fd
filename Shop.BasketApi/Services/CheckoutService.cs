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
/// A checkout that pays and is declined, or whose charge is still in progress, still made its order (order-api names it
/// in its 402 or 409), so the cart is cleared then too; a repeated submit replays the answer, never a second charge.
/// </summary>
public sealed partial class CheckoutService(RedisBasketStore store, OrdersClient orders, ILogger<CheckoutService> logger)
{
    /// <param name="reviewed">The cart as the shopper reviewed it (the checkout page's version, subtotal and currency); a null
    /// member skips its check.</param>
    /// <param name="payment">Pays the order in the same request (order-api's rules); null leaves it pending.</param>
    /// <exception cref="UnprocessableRefusal">The cart has no lines, and no cart was checked out in the last
    /// <see cref="RedisBasketStore.CheckedOutKept"/> without a cart being started or cleared since
    /// (<see cref="BasketRefusals.EmptyBasket"/>).</exception>
    /// <exception cref="ConflictRefusal">The cart is not the version reviewed (<see cref="BasketRefusals.CartChanged"/>),
    /// or its prices as reserved do not add up to the subtotal reviewed, in its currency (<see cref="BasketRefusals.PricesChanged"/>):
    /// nothing ordered or charged, the reservation given back, the cart kept. Or order-api's 409: out of stock naming the lines (the cart kept), or a payment
    /// of the order in progress, naming it (<c>orderId</c>; the cart cleared).</exception>
    /// <exception cref="UnavailableRefusal">order-api or the basket store did not answer; the cart is kept.</exception>
    /// <exception cref="PaymentDeclinedRefusal">The card was declined: the order exists, pending, named by the
    /// refusal's <c>orderId</c> fact; the cart is cleared as for a placed order.</exception>
    /// <exception cref="ShopRefusal">order-api's other refusals (400/422 with field errors, …) as
    /// <see cref="OrdersClient.CreateOrderAsync"/> maps them; the cart is kept.</exception>
    public async Task<PlacedCheckout> CheckoutAsync(BasketOwner.Shopper shopper, string bearerToken, ReviewedCart reviewed,
        ShippingAddress? address, CardPayment? payment, CancellationToken cancellationToken)
    {
        var cart = await store.ReadAsync(shopper);
        // No cart since the last checkout: a repeated submit of that cart state, so the same order.
        var replaying = cart.Instance is null;
        if (replaying) cart = await store.ReadCheckedOutAsync(shopper);
        if (cart.Lines.Count == 0) throw BasketRefusals.EmptyBasket();
        if (reviewed.Version is { } version && version != cart.Version) throw BasketRefusals.CartChanged(version, cart.Version);
        PlacedCheckout placed;
        try
        {
            // order-api compares the subtotal reviewed with the total it prices under the reservation's row locks: a price
            // changed before the reservation is refused (and the reservation given back); the order is charged that total.
            placed = await orders.CreateOrderAsync(bearerToken, IdempotencyKey(cart), cart.Lines, address, payment,
                reviewed.Subtotal, reviewed.Currency, cancellationToken);
        }
        catch (ShopRefusal refusal) when (!replaying && StoredOrderId(refusal) is { } orderId)
        {
            await ClearCheckedOutCartAsync(shopper, cart, orderId);
            throw;
        }
        catch (ConflictRefusal refusal) when (refusal.Title == BasketRefusals.PricesChangedTitle)
        {
            throw BasketRefusals.PricesChanged(reviewed, refusal);
        }
        if (!replaying) await ClearCheckedOutCartAsync(shopper, cart, placed.Order.OrderId);
        return placed;
    }

    /// <summary>The order a refused checkout still stored (declined, or its charge in progress): order-api's <c>orderId</c>.</summary>
    private static Guid? StoredOrderId(ShopRefusal refusal) =>
        refusal.Facts.TryGetValue("orderId", out var value) && Guid.TryParse(value?.ToString(), out var orderId) ? orderId : null;

    // The order exists whatever happens here: a basket store that fails now must not turn order-api's answer into a
    // 503 (a shopper retrying would then order the cart again). The cart stays, and its next submit replays the order.
    private async Task ClearCheckedOutCartAsync(BasketOwner.Shopper shopper, StoredBasket cart, Guid orderId)
    {
        try
        {
            if (!await store.CheckOutIfUnchangedAsync(shopper, cart.Version)) LogCartChanged(logger, orderId, cart.Version);
        }
        catch (UnavailableRefusal failed)
        {
            LogCartNotCleared(logger, failed.InnerException, orderId, cart.Version);
        }
    }

    /// <summary>order-api scopes keys per user; the instance keeps a new cart's version 1 from replaying an old cart's order.</summary>
    internal static string IdempotencyKey(StoredBasket cart) => $"basket-{cart.Instance}-{cart.Version}";

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} placed from cart version {Version}; the cart changed or was checked out meanwhile, and is not cleared again")]
    private static partial void LogCartChanged(ILogger logger, Guid orderId, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} placed from cart version {Version}; the basket store failed and the cart was not cleared (its next checkout replays the order)")]
    private static partial void LogCartNotCleared(ILogger logger, Exception? exception, Guid orderId, long version);
}

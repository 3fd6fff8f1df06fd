using System.Text.Json;
using Shop.ServiceDefaults.Refusals;

namespace Shop.BasketApi.Model;

/// <summary>
/// The cart's refusals in the shared vocabulary (answered by ServiceDefaults' one mapping: HTTP ProblemDetails,
/// gRPC statuses): a broken rule is a field error (400), an unknown product a 404 naming it, an empty checkout a 422,
/// a dependency down a 503 with Retry-After. The cart is unchanged by any of them.
/// </summary>
public static class BasketRefusals
{
    public const string UnknownProductTitle = "Unknown Product";
    public const string EmptyBasketTitle = "Empty Basket";
    public const string CartChangedTitle = "Cart Changed";
    public const string OtherCurrencyTitle = "Other Currency";
    public const string PricesChangedTitle = ConflictRefusal.PricesChangedTitle;

    public static NotFoundRefusal UnknownProduct(Guid productId) =>
        new($"No product {productId} exists.", UnknownProductTitle, new Dictionary<string, object?> { ["productId"] = productId });

    public static UnprocessableRefusal EmptyBasket() => new(EmptyBasketTitle, "The basket is empty.");

    /// <summary>
    /// A product added to a cart priced in another currency: an order is priced in one currency (order-api's
    /// <c>OrderPricing</c> refuses a mix), so such a cart could never be checked out. Names the product and both
    /// currencies (ISO 4217 <c>currency</c>: the product's; <c>cartCurrency</c>: one of the cart's lines' that is not it).
    /// </summary>
    public static ConflictRefusal OtherCurrency(Guid productId, string productName, string currency, string cartCurrency) =>
        new($"{productName} is priced in {currency} and the cart has lines in {cartCurrency}: an order is paid in one currency. " +
            $"Check out or remove the lines in {cartCurrency} first; the cart is unchanged.", OtherCurrencyTitle,
            new Dictionary<string, object?> { ["productId"] = productId, ["currency"] = currency, ["cartCurrency"] = cartCurrency });

    /// <summary>A checkout of a cart that changed after the shopper reviewed it (another tab, another device).</summary>
    /// <param name="reviewed">The version the shopper saw.</param>
    /// <param name="current">The cart's version now, named in the answer (<c>version</c>).</param>
    public static ConflictRefusal CartChanged(long reviewed, long current) =>
        new($"The cart changed since it was reviewed (version {reviewed}, now {current}); review it and check out again.", CartChangedTitle,
            new Dictionary<string, object?> { ["version"] = current });

    /// <summary>
    /// A checkout whose lines cost, at the prices order-api reserved them at, another sum than the subtotal the shopper
    /// reviewed, or in another currency: order-api's refusal of the same title, whose <c>total</c> and <c>currency</c>
    /// facts this names as the cart's <c>subtotal</c> (ISO 4217 <c>currency</c>). A refusal without them is passed on as
    /// it is.
    /// </summary>
    public static ConflictRefusal PricesChanged(ReviewedCart reviewed, ConflictRefusal ordersRefusal)
    {
        if (reviewed is { Subtotal: null, Currency: null }
            || Fact(ordersRefusal, "total") is not { ValueKind: JsonValueKind.Number } total || !total.TryGetDecimal(out var current)
            || Fact(ordersRefusal, "currency") is not { ValueKind: JsonValueKind.String } currency)
        {
            return ordersRefusal;
        }
        var shown = string.Join(' ', new[] { reviewed.Subtotal is { } subtotal ? $"{subtotal:0.00}" : null, reviewed.Currency }.OfType<string>());
        return new($"Prices changed since the cart was reviewed: the subtotal is now {current:0.00} {currency.GetString()}, not {shown}; " +
            "nothing was ordered or charged. Review the cart and check out again.",
            PricesChangedTitle, new Dictionary<string, object?> { ["subtotal"] = current, ["currency"] = currency.GetString() });
    }

    private static JsonElement? Fact(ShopRefusal refusal, string name) =>
        refusal.Facts.TryGetValue(name, out var value) && value is JsonElement json ? json : null;

    /// <param name="dependency">What did not answer: "product service", "order service", "basket store".</param>
    /// <param name="cause">Its failure, logged with the 503 (never sent).</param>
    public static UnavailableRefusal Unavailable(string dependency, TimeSpan retryAfter, Exception cause) =>
        new($"The {dependency} is unavailable. Retry shortly; the basket is unchanged.", cause) { RetryAfter = retryAfter };
}

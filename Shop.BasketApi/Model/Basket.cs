namespace Shop.BasketApi.Model;

/// <summary>
/// A cart as a shopper sees it: each line with the product's current name, price and stock from product-api.
/// <c>Subtotal</c> is Σ unitPrice × quantity in <c>Currency</c> (ISO 4217; 0 and null for an empty cart); <c>ItemCount</c> is Σ quantity.
/// When the lines are priced in more than one currency (a product repriced into another currency after it was added,
/// or an anonymous cart merged at sign-in), <c>Subtotal</c> and <c>Currency</c> are both null: an order is paid in one
/// currency, so such a cart cannot be checked out until the lines of all but one are removed.
/// <c>CartId</c> is set for an anonymous cart only. <c>Version</c> is 0 for a cart that does not exist yet.
/// </summary>
public sealed record Basket(string? CartId, long Version, IReadOnlyList<BasketLine> Lines, decimal? Subtotal, int ItemCount, string? Currency);

/// <summary>
/// One line. <c>UnitPrice</c> in <c>Currency</c> (ISO 4217) is the current catalog price, <c>PriceWhenAdded</c> in
/// <c>CurrencyWhenAdded</c> the price when the line was first added (<c>PriceChanged</c> when the amount or the
/// currency differs; <c>CurrencyWhenAdded</c> is null for a line stored before carts kept it). <c>Available</c> is the
/// product's stock in units (0 for a product no longer in the catalog); <c>OutOfStock</c> when it cannot cover <c>Quantity</c>.
/// </summary>
public sealed record BasketLine(Guid ProductId, string Name, decimal UnitPrice, string? Currency, decimal PriceWhenAdded,
    string? CurrencyWhenAdded, int Quantity, int Available, bool PriceChanged, bool OutOfStock);

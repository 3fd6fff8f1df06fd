namespace Shop.BasketApi.Model;

/// <summary>
/// The cart as the shopper last saw it before checking out: its <paramref name="Version"/> and its
/// <paramref name="Subtotal"/> (in the cart's currency). A checkout is refused when the cart no longer matches, so
/// that the one submit that orders and pays charges what the shopper was shown. Null members are not checked.
/// </summary>
public sealed record ReviewedCart(long? Version, decimal? Subtotal);

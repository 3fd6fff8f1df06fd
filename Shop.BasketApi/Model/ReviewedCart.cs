namespace Shop.BasketApi.Model;

/// <summary>
/// The cart as the shopper last saw it before checking out: its <paramref name="Version"/>, its
/// <paramref name="Subtotal"/> and the subtotal's <paramref name="Currency"/> (ISO 4217). A checkout is refused when the
/// cart no longer matches, so that the one submit that orders and pays charges what the shopper was shown. Null members
/// are not checked.
/// </summary>
public sealed record ReviewedCart(long? Version, decimal? Subtotal, string? Currency);

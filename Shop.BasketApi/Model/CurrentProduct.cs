namespace Shop.BasketApi.Model;

/// <summary>A product as product-api reports it now: price in <paramref name="Currency"/> (ISO 4217), stock in units.</summary>
public sealed record CurrentProduct(Guid Id, string Name, decimal Price, string Currency, int Stock);

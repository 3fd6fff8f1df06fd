using Shop.ProductApi.Caching;
using Shop.ServiceDefaults.OpenApi;

namespace Shop.ProductApi.Apis;

public sealed record CreateProductRequest(
    string? Sku, string? Name, string? Description, string? Category, string? Brand, decimal? Price, string? Currency, int? Stock, string? ImageUrl)
    : IOpenApiExample<CreateProductRequest>
{
    public static CreateProductRequest Example => new(
        "HP-WH1000", "Wireless headphones", "Over-ear, noise cancelling, 30 h battery.", "electronics", "Sony", 279.99m, "EUR", 25, null);
}

public sealed record UpdateProductRequest(
    string? Sku, string? Name, string? Description, string? Category, string? Brand, decimal? Price, string? Currency, string? ImageUrl);

public sealed record SetStockRequest(int? Stock);

/// <summary>One replica's catalog cache counters since it started; <see cref="Instance"/> names the replica.</summary>
public sealed record ReplicaCacheStatistics(string Instance, CacheStatistics Statistics);

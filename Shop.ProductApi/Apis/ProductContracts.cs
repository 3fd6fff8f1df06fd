using Shop.ProductApi.Caching;
using Shop.ProductApi.Model;
using Shop.ServiceDefaults.Validation;
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

/// <summary>A product with its stock and <see cref="Version"/> (the ETag's value).</summary>
public sealed record ProductDetails(
    Guid Id, string Sku, string Name, string Description, string Category, string Brand, decimal Price, string Currency,
    int Stock, string? ImageUrl, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, uint Version)
{
    public static ProductDetails From(ProductView p) => new(
        p.Id, p.Sku, p.Name, p.Description, p.Category, p.Brand, p.Price, p.Currency, p.Stock, p.ImageUrl, p.CreatedAt, p.UpdatedAt, p.Version);
}

/// <summary>A product in lists and search results. Stock is left out so orders do not churn the cached list pages.</summary>
public sealed record ProductSummary(Guid Id, string Sku, string Name, string Category, string Brand, decimal Price, string Currency, string? ImageUrl, DateTimeOffset CreatedAt)
{
    public static ProductSummary From(ProductListItem p) => new(p.Id, p.Sku, p.Name, p.Category, p.Brand, p.Price, p.Currency, p.ImageUrl, p.CreatedAt);
}

/// <summary>A page of search results; <see cref="Fuzzy"/> is true when no word matched and the results come from trigram similarity (typo tolerance).</summary>
public sealed record SearchResult(IReadOnlyList<ProductSummary> Items, int PageNumber, int PageSize, int TotalCount, bool Fuzzy)
    : Page<ProductSummary>(Items, PageNumber, PageSize, TotalCount)
{
    public static SearchResult From(ProductSearchPage page) =>
        new([.. page.Items.Select(ProductSummary.From)], page.PageNumber, page.PageSize, page.TotalCount, page.Fuzzy);
}

/// <summary>A category with its number of products.</summary>
public sealed record CategoryResult(string Slug, string Name, int ProductCount)
{
    public static CategoryResult From(CategoryView c) => new(c.Slug, c.Name, c.ProductCount);
}

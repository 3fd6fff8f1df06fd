using Shop.ServiceDefaults.Validation;

namespace Shop.ProductApi.Model;

/// <summary>The catalog's read models: what readers (HTTP, gRPC, the cache) see of products and categories.</summary>
public sealed record ProductDetails(
    Guid Id, string Sku, string Name, string Description, string Category, string Brand, decimal Price, string Currency,
    int Stock, string? ImageUrl, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, uint Version)
{
    public static ProductDetails From(Product p) => new(
        p.Id, p.Sku, p.Name, p.Description, p.Category.Slug, p.Brand, p.Price, p.Currency, p.Stock, p.ImageUrl, p.CreatedAt, p.UpdatedAt, p.Version);
}

/// <summary>A product in lists and search results. Stock is left out so orders do not churn the cached list pages.</summary>
public sealed record ProductSummary(Guid Id, string Sku, string Name, string Category, string Brand, decimal Price, string Currency, string? ImageUrl, DateTimeOffset CreatedAt);

/// <summary>A page of search results; <see cref="Fuzzy"/> is true when no word matched and the results come from trigram similarity (typo tolerance).</summary>
public sealed record SearchResult(IReadOnlyList<ProductSummary> Items, int PageNumber, int PageSize, int TotalCount, bool Fuzzy)
    : Page<ProductSummary>(Items, PageNumber, PageSize, TotalCount)
{
    public static SearchResult From(Page<ProductSummary> page, bool fuzzy) => new(page.Items, page.PageNumber, page.PageSize, page.TotalCount, fuzzy);
}

public sealed record CategoryResult(string Slug, string Name, int ProductCount);

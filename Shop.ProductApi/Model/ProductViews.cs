using Shop.ServiceDefaults.Validation;

namespace Shop.ProductApi.Model;

/// <summary>
/// The catalog's read models: what the services read, cache and hand to gRPC and to the HTTP API, which answers
/// with its own contracts (Apis/ProductContracts.cs).
/// </summary>
public sealed record ProductView(
    Guid Id, string Sku, string Name, string Description, string Category, string Brand, decimal Price, string Currency,
    int Stock, string? ImageUrl, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, uint Version)
{
    public static ProductView From(Product p) => new(
        p.Id, p.Sku, p.Name, p.Description, p.Category.Slug, p.Brand, p.Price, p.Currency, p.Stock, p.ImageUrl, p.CreatedAt, p.UpdatedAt, p.Version);
}

/// <summary>A product in lists and search results. Stock is left out so orders do not churn the cached list pages.</summary>
public sealed record ProductListItem(Guid Id, string Sku, string Name, string Category, string Brand, decimal Price, string Currency, string? ImageUrl, DateTimeOffset CreatedAt);

/// <summary>A page of search results; <see cref="Fuzzy"/> is true when no word matched and the results come from trigram similarity (typo tolerance).</summary>
public sealed record ProductSearchPage(IReadOnlyList<ProductListItem> Items, int PageNumber, int PageSize, int TotalCount, bool Fuzzy)
    : Page<ProductListItem>(Items, PageNumber, PageSize, TotalCount)
{
    public static ProductSearchPage From(Page<ProductListItem> page, bool fuzzy) => new(page.Items, page.PageNumber, page.PageSize, page.TotalCount, fuzzy);
}

/// <summary>A category with its number of products.</summary>
public sealed record CategoryView(string Slug, string Name, int ProductCount);

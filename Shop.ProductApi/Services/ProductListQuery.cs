using System.Globalization;
using Shop.ServiceDefaults.Validation;

namespace Shop.ProductApi.Services;

public enum ProductSort
{
    Name,
    PriceAsc,
    PriceDesc,
    Newest,
}

/// <summary>A validated list request; <see cref="CacheKey"/> is its normalised form.</summary>
public sealed record ProductListQuery(PageRequest Paging, string? Category, string? Brand, decimal? MinPrice, decimal? MaxPrice, ProductSort Sort)
{
    public static readonly IReadOnlyDictionary<string, ProductSort> SortNames = new Dictionary<string, ProductSort>(StringComparer.OrdinalIgnoreCase)
    {
        ["name"] = ProductSort.Name,
        ["price_asc"] = ProductSort.PriceAsc,
        ["price_desc"] = ProductSort.PriceDesc,
        ["newest"] = ProductSort.Newest,
    };

    public string CacheKey => string.Create(CultureInfo.InvariantCulture,
        $"products:list:{Paging.Page}:{Paging.PageSize}:{Category}:{Brand}:{MinPrice}:{MaxPrice}:{Sort}");
}

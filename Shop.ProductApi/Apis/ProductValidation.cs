using System.Text.RegularExpressions;
using Shop.ProductApi.Services;

namespace Shop.ProductApi.Apis;

/// <summary>Input rules of the HTTP API; each failure names its field for a ValidationProblem (400).</summary>
public static partial class ProductValidation
{
    public const int MaxQueryLength = 200;
    public const int MaxStock = 1_000_000;
    public const decimal MaxPrice = 1_000_000m;

    public sealed class Errors : Dictionary<string, string[]>
    {
        public void Add(string field, string message) =>
            this[field] = TryGetValue(field, out var existing) ? [.. existing, message] : [message];

        public bool HasErrors => Count > 0;
    }

    public static Errors ValidatePaging(int? page, int? pageSize)
    {
        var errors = new Errors();
        if (page is < 1 or > ProductListQuery.MaxPage) errors.Add("page", $"Must be between 1 and {ProductListQuery.MaxPage}.");
        if (pageSize is < 1 or > ProductListQuery.MaxPageSize) errors.Add("pageSize", $"Must be between 1 and {ProductListQuery.MaxPageSize}.");
        return errors;
    }

    public static Errors ValidateList(int? page, int? pageSize, string? category, string? brand, decimal? minPrice, decimal? maxPrice, string? sort)
    {
        var errors = ValidatePaging(page, pageSize);
        if (category is { Length: > 64 }) errors.Add("category", "At most 64 characters.");
        if (brand is { Length: > 100 }) errors.Add("brand", "At most 100 characters.");
        if (minPrice < 0) errors.Add("minPrice", "Must not be negative.");
        if (maxPrice < 0) errors.Add("maxPrice", "Must not be negative.");
        if (minPrice > maxPrice) errors.Add("maxPrice", "Must not be below minPrice.");
        if (sort is not null && !ProductListQuery.SortNames.ContainsKey(sort))
        {
            errors.Add("sort", $"Unknown sort; use one of: {string.Join(", ", ProductListQuery.SortNames.Keys)}.");
        }
        return errors;
    }

    public static Errors ValidateSearch(string? q, int? page, int? pageSize)
    {
        var errors = ValidatePaging(page, pageSize);
        if (string.IsNullOrWhiteSpace(q)) errors.Add("q", "Required.");
        else if (q.Length > MaxQueryLength) errors.Add("q", $"At most {MaxQueryLength} characters.");
        return errors;
    }

    public static Errors ValidateProduct(string? sku, string? name, string? description, string? category, string? brand, decimal? price, string? currency, string? imageUrl)
    {
        var errors = new Errors();
        if (string.IsNullOrWhiteSpace(sku)) errors.Add("sku", "Required.");
        else if (!SkuPattern().IsMatch(sku)) errors.Add("sku", "1-64 characters: letters, digits, '-' and '_'.");
        if (string.IsNullOrWhiteSpace(name)) errors.Add("name", "Required.");
        else if (name.Length > 200) errors.Add("name", "At most 200 characters.");
        if (description is { Length: > 4000 }) errors.Add("description", "At most 4000 characters.");
        if (string.IsNullOrWhiteSpace(category)) errors.Add("category", "Required.");
        if (string.IsNullOrWhiteSpace(brand)) errors.Add("brand", "Required.");
        else if (brand.Length > 100) errors.Add("brand", "At most 100 characters.");
        if (price is null) errors.Add("price", "Required.");
        else if (price < 0) errors.Add("price", "Must not be negative.");
        else if (price > MaxPrice) errors.Add("price", $"At most {MaxPrice}.");
        else if (price.Value != Math.Round(price.Value, 2)) errors.Add("price", "At most 2 decimal places.");
        if (string.IsNullOrWhiteSpace(currency)) errors.Add("currency", "Required.");
        else if (!CurrencyPattern().IsMatch(currency)) errors.Add("currency", "An ISO 4217 code such as EUR.");
        if (imageUrl is not null && !(Uri.TryCreate(imageUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && imageUrl.Length <= 2048))
        {
            errors.Add("imageUrl", "An absolute http(s) URL of at most 2048 characters.");
        }
        return errors;
    }

    public static void ValidateStock(Errors errors, int? stock, bool required)
    {
        if (stock is null)
        {
            if (required) errors.Add("stock", "Required.");
        }
        else if (stock < 0) errors.Add("stock", "Must not be negative.");
        else if (stock > MaxStock) errors.Add("stock", $"At most {MaxStock}.");
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex SkuPattern();

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyPattern();
}

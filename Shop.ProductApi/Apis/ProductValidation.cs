using System.Text.RegularExpressions;
using Shop.ProductApi.Services;
using Shop.ServiceDefaults.Validation;

namespace Shop.ProductApi.Apis;

/// <summary>
/// The product API's request checks; each returns the <see cref="FieldErrors"/> of the input (keyed by JSON or query
/// name), empty when valid. Text fields follow the shared <see cref="TextRules"/>, paging the shared <see cref="PageRequest"/>.
/// </summary>
public static partial class ProductValidation
{
    public const int MaxQueryLength = 200;
    public const int MaxStock = 1_000_000;
    public const decimal MaxPrice = 1_000_000m;

    /// <summary>
    /// The deepest page of a product list or search, instead of the shared bound: the catalog is public and paged by
    /// offset, so this bounds the rows one anonymous request makes PostgreSQL skip (a million at 100 a page).
    /// </summary>
    public const int MaxPage = 10_000;

    /// <param name="paging">The validated page; null when <c>page</c> or <c>pageSize</c> is out of bounds.</param>
    public static FieldErrors ValidateList(int? page, int? pageSize, string? category, string? brand, decimal? minPrice, decimal? maxPrice, string? sort,
        out PageRequest? paging)
    {
        var errors = new FieldErrors();
        paging = CheckPaging(errors, page, pageSize);
        errors.CheckText("category", category, 64);
        errors.CheckText("brand", brand, 100);
        if (minPrice < 0) errors.Add("minPrice", "Must not be negative.");
        if (maxPrice < 0) errors.Add("maxPrice", "Must not be negative.");
        if (minPrice > maxPrice) errors.Add("maxPrice", "Must not be below minPrice.");
        if (sort is not null && !ProductListQuery.SortNames.ContainsKey(sort))
        {
            errors.Add("sort", $"Unknown sort; use one of: {string.Join(", ", ProductListQuery.SortNames.Keys)}.");
        }
        return errors;
    }

    /// <param name="paging">The validated page; null when <c>page</c> or <c>pageSize</c> is out of bounds.</param>
    public static FieldErrors ValidateSearch(string? q, int? page, int? pageSize, out PageRequest? paging)
    {
        var errors = new FieldErrors();
        paging = CheckPaging(errors, page, pageSize);
        errors.CheckText("q", q, MaxQueryLength, required: true);
        return errors;
    }

    /// <summary>A new product: its details, and its initial stock when given (0 otherwise).</summary>
    public static FieldErrors ValidateCreate(string? sku, string? name, string? description, string? category, string? brand,
        decimal? price, string? currency, string? imageUrl, int? stock)
    {
        var errors = new FieldErrors();
        CheckDetails(errors, sku, name, description, category, brand, price, currency, imageUrl);
        CheckStock(errors, stock, required: false);
        return errors;
    }

    /// <summary>A product's replaced details (its stock is set on its own).</summary>
    public static FieldErrors ValidateUpdate(string? sku, string? name, string? description, string? category, string? brand,
        decimal? price, string? currency, string? imageUrl)
    {
        var errors = new FieldErrors();
        CheckDetails(errors, sku, name, description, category, brand, price, currency, imageUrl);
        return errors;
    }

    /// <summary>A stock level set by hand: required, 0 to <see cref="MaxStock"/>.</summary>
    public static FieldErrors ValidateStock(int? stock)
    {
        var errors = new FieldErrors();
        CheckStock(errors, stock, required: true);
        return errors;
    }

    private static PageRequest? CheckPaging(FieldErrors errors, int? page, int? pageSize) =>
        PageRequest.Create(page, pageSize, errors, maxPage: MaxPage);

    private static void CheckDetails(FieldErrors errors, string? sku, string? name, string? description, string? category, string? brand,
        decimal? price, string? currency, string? imageUrl)
    {
        if (string.IsNullOrWhiteSpace(sku)) errors.Add("sku", "Required.");
        else if (!SkuPattern().IsMatch(sku)) errors.Add("sku", "1-64 characters: letters, digits, '-' and '_'.");
        errors.CheckText("name", name, 200, required: true);
        errors.CheckText("description", description, 4000, multiline: true);
        errors.CheckText("category", category, 64, required: true);
        errors.CheckText("brand", brand, 100, required: true);
        errors.CheckAmount("price", price, MaxPrice, required: true);
        errors.CheckCurrency("currency", currency, required: true);
        if (imageUrl is not null && errors.CheckCharacters("imageUrl", imageUrl)
            && !(Uri.TryCreate(imageUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && imageUrl.Length <= 2048))
        {
            errors.Add("imageUrl", "An absolute http(s) URL of at most 2048 characters.");
        }
    }

    private static void CheckStock(FieldErrors errors, int? stock, bool required)
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
}

using System.Globalization;
using Shop.WebApp.Clients.Products;
using Shop.WebApp.Services;

namespace Shop.WebApp.Components.Pages.Admin;

/// <summary>
/// The admin's product form, as typed: price and stock stay text until sent, so "12,5" or "ten" is answered by its
/// field here instead of reaching product-api as a missing value. product-api's own rules (ProductValidation) judge
/// everything else and its field errors are shown by field.
/// </summary>
public sealed class ProductForm
{
    public string? Sku { get; set; }
    public string? Name { get; set; }
    public string? Description { get; set; }
    public string? Category { get; set; }
    public string? Brand { get; set; }
    public string? Price { get; set; }
    public string? Currency { get; set; } = "EUR";
    public string? ImageUrl { get; set; }
    public string? Stock { get; set; } = "0";

    /// <summary>The price as a number (invariant culture, '.' for decimals), or null when blank or not a number.</summary>
    public decimal? PriceValue =>
        decimal.TryParse(Price?.Trim(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var price) ? price : null;

    /// <summary>The initial stock, or null when blank or not a whole number.</summary>
    public int? StockValue =>
        int.TryParse(Stock?.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var stock) ? stock : null;

    public static ProductForm From(ProductDetails product) => new()
    {
        Sku = product.Sku, Name = product.Name, Description = product.Description, Category = product.Category,
        Brand = product.Brand, Price = ((decimal)product.Price).ToString("0.00", CultureInfo.InvariantCulture),
        Currency = product.Currency, ImageUrl = product.ImageUrl, Stock = product.Stock.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Field errors for text that is not a number where one is needed; null when the form can be sent.</summary>
    public ApiProblem? Invalid()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        if (!string.IsNullOrWhiteSpace(Price) && PriceValue is null) errors["price"] = ["A number such as 24.50."];
        if (!string.IsNullOrWhiteSpace(Stock) && StockValue is null) errors["stock"] = ["A whole number from 0."];
        return errors.Count == 0 ? null : new ApiProblem(400, "Some fields need fixing", null, errors, null);
    }

    public static ApiProblem FieldProblem(string field, string message) =>
        new(400, "Some fields need fixing", null, new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase) { [field] = [message] }, null);
}

/// <summary>The admin's stock form: the new stock level as typed.</summary>
public sealed class StockForm
{
    public string? Stock { get; set; }
}

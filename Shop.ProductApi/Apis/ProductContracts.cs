namespace Shop.ProductApi.Apis;

public sealed record CreateProductRequest(
    string? Sku, string? Name, string? Description, string? Category, string? Brand, decimal? Price, string? Currency, int? Stock, string? ImageUrl);

public sealed record UpdateProductRequest(
    string? Sku, string? Name, string? Description, string? Category, string? Brand, decimal? Price, string? Currency, string? ImageUrl);

public sealed record SetStockRequest(int? Stock);

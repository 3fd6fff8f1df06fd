using Microsoft.AspNetCore.Http.HttpResults;
using Shop.ProductApi.Caching;
using Shop.ProductApi.Model;
using Shop.ProductApi.Services;
using Shop.ServiceDefaults.Health;
using Shop.ServiceDefaults.Security;
using Shop.ServiceDefaults.Validation;

namespace Shop.ProductApi.Apis;

public static class ProductsApi
{
    public static IEndpointRouteBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        var products = app.MapGroup("/api/products").WithTags("Products");
        products.MapGet("/", ListProductsAsync);
        products.MapGet("/search", SearchProductsAsync);
        products.MapGet("/{id:guid}", GetProductAsync);

        var admin = products.MapGroup("").RequireAuthorization(ShopClaims.AdminPolicy);
        admin.MapPost("/", CreateProductAsync);
        admin.MapPut("/{id:guid}", UpdateProductAsync);
        admin.MapDelete("/{id:guid}", DeleteProductAsync);
        admin.MapPut("/{id:guid}/stock", SetStockAsync);
        admin.MapGet("/cache-statistics", (CatalogMetrics metrics) => TypedResults.Ok(new { Instance = HealthResponseWriter.InstanceId, Statistics = metrics.Snapshot() }))
            .WithDescription("This replica's cache hits, misses and database loads since it started.");

        app.MapGet("/api/categories", async (CatalogReader reader, CancellationToken cancellationToken) =>
            TypedResults.Ok(await reader.GetCategoriesAsync(cancellationToken))).WithTags("Categories");
        return app;
    }

    public static async Task<Results<Ok<PagedResult<ProductSummary>>, ValidationProblem>> ListProductsAsync(
        CatalogReader reader, CancellationToken cancellationToken,
        int? page, int? pageSize, string? category, string? brand, decimal? minPrice, decimal? maxPrice, string? sort)
    {
        var errors = ProductValidation.ValidateList(page, pageSize, category, brand, minPrice, maxPrice, sort);
        if (errors.HasErrors) return TypedResults.ValidationProblem(errors);

        var query = new ProductListQuery(page ?? 1, pageSize ?? PageRequest.DefaultPageSize, Normalize(category), Normalize(brand), minPrice, maxPrice,
            sort is null ? ProductSort.Name : ProductListQuery.SortNames[sort]);
        return TypedResults.Ok(await reader.ListAsync(query, cancellationToken));
    }

    public static async Task<Results<Ok<SearchResult>, ValidationProblem>> SearchProductsAsync(
        CatalogReader reader, CancellationToken cancellationToken, string? q, int? page, int? pageSize)
    {
        var errors = ProductValidation.ValidateSearch(q, page, pageSize);
        if (errors.HasErrors) return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(await reader.SearchAsync(q!, page ?? 1, pageSize ?? PageRequest.DefaultPageSize, cancellationToken));
    }

    public static async Task<Results<Ok<ProductDetails>, StatusCodeHttpResult, NotFound>> GetProductAsync(
        Guid id, HttpContext context, CatalogReader reader, CancellationToken cancellationToken)
    {
        var product = await reader.GetProductAsync(id, cancellationToken);
        if (product is null) return TypedResults.NotFound();

        context.Response.Headers.ETag = ETags.For(product.Version);
        if (ETags.Matches(context.Request.Headers.IfNoneMatch, product.Version))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.Ok(product);
    }

    public static async Task<Results<Created<ProductDetails>, ValidationProblem>> CreateProductAsync(
        CreateProductRequest request, HttpContext context, CatalogEditor editor, CancellationToken cancellationToken)
    {
        var errors = ProductValidation.ValidateProduct(request.Sku, request.Name, request.Description, request.Category, request.Brand, request.Price, request.Currency, request.ImageUrl);
        ProductValidation.ValidateStock(errors, request.Stock, required: false);
        if (errors.HasErrors) return TypedResults.ValidationProblem(errors);

        var product = await editor.CreateAsync(ToDraft(request.Sku, request.Name, request.Description, request.Category, request.Brand,
            request.Price, request.Currency, request.ImageUrl), request.Stock ?? 0, cancellationToken);
        context.Response.Headers.ETag = ETags.For(product.Version);
        return TypedResults.Created($"/api/products/{product.Id}", product);
    }

    public static async Task<Results<Ok<ProductDetails>, ValidationProblem>> UpdateProductAsync(
        Guid id, UpdateProductRequest request, HttpContext context, CatalogEditor editor, CancellationToken cancellationToken)
    {
        var errors = ProductValidation.ValidateProduct(request.Sku, request.Name, request.Description, request.Category, request.Brand, request.Price, request.Currency, request.ImageUrl);
        if (errors.HasErrors) return TypedResults.ValidationProblem(errors);

        var product = await editor.UpdateAsync(id, ToDraft(request.Sku, request.Name, request.Description, request.Category, request.Brand,
            request.Price, request.Currency, request.ImageUrl), ETags.AcceptedVersions(context.Request), cancellationToken);
        context.Response.Headers.ETag = ETags.For(product.Version);
        return TypedResults.Ok(product);
    }

    public static async Task<Results<Ok<ProductDetails>, ValidationProblem>> SetStockAsync(
        Guid id, SetStockRequest request, HttpContext context, CatalogEditor editor, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        ProductValidation.ValidateStock(errors, request.Stock, required: true);
        if (errors.HasErrors) return TypedResults.ValidationProblem(errors);

        var product = await editor.SetStockAsync(id, request.Stock!.Value, ETags.AcceptedVersions(context.Request), cancellationToken);
        context.Response.Headers.ETag = ETags.For(product.Version);
        return TypedResults.Ok(product);
    }

    public static async Task<NoContent> DeleteProductAsync(
        Guid id, HttpContext context, CatalogEditor editor, CancellationToken cancellationToken)
    {
        await editor.DeleteAsync(id, ETags.AcceptedVersions(context.Request), cancellationToken);
        return TypedResults.NoContent();
    }

    private static ProductDraft ToDraft(string? sku, string? name, string? description, string? category, string? brand,
        decimal? price, string? currency, string? imageUrl) =>
        new(sku!.Trim(), name!.Trim(), description?.Trim() ?? "", Normalize(category)!, brand!.Trim(), price!.Value, currency!, imageUrl);

    private static string? Normalize(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim().ToLowerInvariant();
}

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
        products.MapGet("/", ListProductsAsync).WithName("ListProducts")
            .WithSummary("List products, filtered and sorted");
        products.MapGet("/search", SearchProductsAsync).WithName("SearchProducts")
            .WithSummary("Search products by words, with prefix matching and typo tolerance");
        products.MapGet("/{id:guid}", GetProductAsync).WithName("GetProduct")
            .WithSummary("One product with its stock and version (ETag; If-None-Match answers 304)")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var admin = products.MapGroup("").RequireAuthorization(ShopClaims.AdminPolicy);
        admin.MapPost("/", CreateProductAsync).WithName("CreateProduct")
            .WithSummary("Add a product (admin)")
            .ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapPut("/{id:guid}", UpdateProductAsync).WithName("UpdateProduct")
            .WithSummary("Replace a product's details; If-Match makes it conditional (admin)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        admin.MapDelete("/{id:guid}", DeleteProductAsync).WithName("DeleteProduct")
            .WithSummary("Remove a product; If-Match makes it conditional (admin)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        admin.MapPut("/{id:guid}/stock", SetStockAsync).WithName("SetProductStock")
            .WithSummary("Set a product's stock; If-Match makes it conditional (admin)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        admin.MapGet("/cache-statistics", (ProductCacheMetrics metrics) => TypedResults.Ok(new ReplicaCacheStatistics(HealthResponseWriter.InstanceId, metrics.Snapshot())))
            .WithName("GetCatalogCacheStatistics")
            .WithSummary("This replica's catalog cache statistics (admin)")
            .WithDescription("This replica's cache hits, misses and database loads since it started.");

        app.MapGet("/api/categories", async (ProductReader reader, CancellationToken cancellationToken) =>
                TypedResults.Ok((await reader.GetCategoriesAsync(cancellationToken)).Select(CategoryResult.From).ToList()))
            .WithTags("Categories").WithName("ListCategories")
            .WithSummary("Every category with its number of products");
        return app;
    }

    public static async Task<Results<Ok<Page<ProductSummary>>, ValidationProblem>> ListProductsAsync(
        ProductReader reader, CancellationToken cancellationToken,
        int? page, int? pageSize, string? category, string? brand, decimal? minPrice, decimal? maxPrice, string? sort)
    {
        var errors = ProductValidation.ValidateList(page, pageSize, category, brand, minPrice, maxPrice, sort, out var paging);
        if (errors.HasErrors || paging is null) return TypedResults.ValidationProblem(errors);

        var query = new ProductListQuery(paging, Normalize(category), Normalize(brand), minPrice, maxPrice,
            sort is null ? ProductSort.Name : ProductListQuery.SortNames[sort]);
        return TypedResults.Ok((await reader.ListAsync(query, cancellationToken)).Select(ProductSummary.From));
    }

    public static async Task<Results<Ok<SearchResult>, ValidationProblem>> SearchProductsAsync(
        ProductReader reader, CancellationToken cancellationToken, string? q, int? page, int? pageSize)
    {
        var errors = ProductValidation.ValidateSearch(q, page, pageSize, out var paging);
        if (errors.HasErrors || paging is null) return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(SearchResult.From(await reader.SearchAsync(q!, paging, cancellationToken)));
    }

    public static async Task<Results<Ok<ProductDetails>, StatusCodeHttpResult>> GetProductAsync(
        Guid id, HttpContext context, ProductReader reader, CancellationToken cancellationToken)
    {
        var product = await reader.GetProductAsync(id, cancellationToken);
        context.Response.Headers.ETag = ETags.For(product.Version);
        if (ETags.Matches(context.Request.Headers.IfNoneMatch, product.Version))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.Ok(ProductDetails.From(product));
    }

    public static async Task<Results<Created<ProductDetails>, ValidationProblem>> CreateProductAsync(
        CreateProductRequest request, HttpContext context, ProductEditor editor, CancellationToken cancellationToken)
    {
        var errors = ProductValidation.ValidateCreate(request.Sku, request.Name, request.Description, request.Category, request.Brand,
            request.Price, request.Currency, request.ImageUrl, request.Stock);
        if (errors.HasErrors) return TypedResults.ValidationProblem(errors);

        var product = await editor.CreateAsync(ToDraft(request.Sku, request.Name, request.Description, request.Category, request.Brand,
            request.Price, request.Currency, request.ImageUrl), request.Stock ?? 0, cancellationToken);
        context.Response.Headers.ETag = ETags.For(product.Version);
        return TypedResults.Created($"/api/products/{product.Id}", ProductDetails.From(product));
    }

    public static async Task<Results<Ok<ProductDetails>, ValidationProblem>> UpdateProductAsync(
        Guid id, UpdateProductRequest request, HttpContext context, ProductEditor editor, CancellationToken cancellationToken)
    {
        var errors = ProductValidation.ValidateUpdate(request.Sku, request.Name, request.Description, request.Category, request.Brand,
            request.Price, request.Currency, request.ImageUrl);
        if (errors.HasErrors) return TypedResults.ValidationProblem(errors);

        var product = await editor.UpdateAsync(id, ToDraft(request.Sku, request.Name, request.Description, request.Category, request.Brand,
            request.Price, request.Currency, request.ImageUrl), ETags.AcceptedVersions(context.Request), cancellationToken);
        context.Response.Headers.ETag = ETags.For(product.Version);
        return TypedResults.Ok(ProductDetails.From(product));
    }

    public static async Task<Results<Ok<ProductDetails>, ValidationProblem>> SetStockAsync(
        Guid id, SetStockRequest request, HttpContext context, ProductEditor editor, CancellationToken cancellationToken)
    {
        var errors = ProductValidation.ValidateStock(request.Stock);
        if (errors.HasErrors) return TypedResults.ValidationProblem(errors);

        var product = await editor.SetStockAsync(id, request.Stock!.Value, ETags.AcceptedVersions(context.Request), cancellationToken);
        context.Response.Headers.ETag = ETags.For(product.Version);
        return TypedResults.Ok(ProductDetails.From(product));
    }

    public static async Task<NoContent> DeleteProductAsync(
        Guid id, HttpContext context, ProductEditor editor, CancellationToken cancellationToken)
    {
        await editor.DeleteAsync(id, ETags.AcceptedVersions(context.Request), cancellationToken);
        return TypedResults.NoContent();
    }

    private static ProductDraft ToDraft(string? sku, string? name, string? description, string? category, string? brand,
        decimal? price, string? currency, string? imageUrl) =>
        new(sku!.Trim(), name!.Trim(), description?.Trim() ?? "", Normalize(category)!, brand!.Trim(), price!.Value, currency!, imageUrl);

    private static string? Normalize(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim().ToLowerInvariant();
}

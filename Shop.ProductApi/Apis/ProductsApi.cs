using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Shop.ProductApi.Caching;
using Shop.ProductApi.Infrastructure;
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
        products.MapGet("/", ListProductsAsync).WithName("ListProducts");
        products.MapGet("/search", SearchProductsAsync).WithName("SearchProducts");
        products.MapGet("/{id:guid}", GetProductAsync).WithName("GetProduct");

        var admin = products.MapGroup("").RequireAuthorization(ShopClaims.AdminPolicy);
        admin.MapPost("/", CreateProductAsync).WithName("CreateProduct");
        admin.MapPut("/{id:guid}", UpdateProductAsync).WithName("UpdateProduct");
        admin.MapDelete("/{id:guid}", DeleteProductAsync).WithName("DeleteProduct");
        admin.MapPut("/{id:guid}/stock", SetStockAsync).WithName("SetProductStock");
        admin.MapGet("/cache-statistics", (CatalogMetrics metrics) => TypedResults.Ok(new { Instance = HealthResponseWriter.InstanceId, Statistics = metrics.Snapshot() }))
            .WithName("GetCacheStatistics").WithDescription("This replica's cache hits, misses and database loads since it started.");

        app.MapGet("/api/categories", async (CatalogReader reader, CancellationToken cancellationToken) =>
            TypedResults.Ok(await reader.GetCategoriesAsync(cancellationToken))).WithTags("Categories").WithName("ListCategories");
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

    public static async Task<Results<Created<ProductDetails>, ValidationProblem, ProblemHttpResult>> CreateProductAsync(
        CreateProductRequest request, HttpContext context, CatalogDbContext db, CatalogCache cache, CancellationToken cancellationToken)
    {
        var errors = ProductValidation.ValidateProduct(request.Sku, request.Name, request.Description, request.Category, request.Brand, request.Price, request.Currency, request.ImageUrl);
        ProductValidation.ValidateStock(errors, request.Stock, required: false);
        if (errors.HasErrors) return TypedResults.ValidationProblem(errors);

        var category = await db.Categories.FirstOrDefaultAsync(c => c.Slug == Normalize(request.Category), cancellationToken);
        if (category is null) return UnknownCategory(request.Category);

        var now = DateTimeOffset.UtcNow;
        var product = new Product
        {
            Id = Guid.CreateVersion7(),
            Sku = request.Sku!.Trim(),
            Name = request.Name!.Trim(),
            Description = request.Description?.Trim() ?? "",
            Category = category,
            Brand = request.Brand!.Trim(),
            Price = request.Price!.Value,
            Currency = request.Currency!,
            Stock = request.Stock ?? 0,
            ImageUrl = request.ImageUrl,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Products.Add(product);
        if (await TrySaveAsync(db, cancellationToken) is { } failure) return failure;

        await cache.InvalidateAsync([product.Id], lists: true);
        context.Response.Headers.ETag = ETags.For(product.Version);
        return TypedResults.Created($"/api/products/{product.Id}", ProductDetails.From(product));
    }

    public static async Task<Results<Ok<ProductDetails>, ValidationProblem, NotFound, ProblemHttpResult>> UpdateProductAsync(
        Guid id, UpdateProductRequest request, HttpContext context, CatalogDbContext db, CatalogCache cache, CancellationToken cancellationToken)
    {
        var errors = ProductValidation.ValidateProduct(request.Sku, request.Name, request.Description, request.Category, request.Brand, request.Price, request.Currency, request.ImageUrl);
        if (errors.HasErrors) return TypedResults.ValidationProblem(errors);

        var product = await db.Products.Include(p => p.Category).FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (product is null) return TypedResults.NotFound();
        if (ETags.PreconditionFails(context.Request, product.Version)) return StaleVersion();

        var category = product.Category.Slug == Normalize(request.Category)
            ? product.Category
            : await db.Categories.FirstOrDefaultAsync(c => c.Slug == Normalize(request.Category), cancellationToken);
        if (category is null) return UnknownCategory(request.Category);

        product.Sku = request.Sku!.Trim();
        product.Name = request.Name!.Trim();
        product.Description = request.Description?.Trim() ?? "";
        product.Category = category;
        product.Brand = request.Brand!.Trim();
        product.Price = request.Price!.Value;
        product.Currency = request.Currency!;
        product.ImageUrl = request.ImageUrl;
        return await SaveChangedProductAsync(product, context, db, cache, lists: true, cancellationToken);
    }

    public static async Task<Results<Ok<ProductDetails>, ValidationProblem, NotFound, ProblemHttpResult>> SetStockAsync(
        Guid id, SetStockRequest request, HttpContext context, CatalogDbContext db, CatalogCache cache, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        ProductValidation.ValidateStock(errors, request.Stock, required: true);
        if (errors.HasErrors) return TypedResults.ValidationProblem(errors);

        var product = await db.Products.Include(p => p.Category).FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (product is null) return TypedResults.NotFound();
        if (ETags.PreconditionFails(context.Request, product.Version)) return StaleVersion();

        product.Stock = request.Stock!.Value;
        return await SaveChangedProductAsync(product, context, db, cache, lists: false, cancellationToken);
    }

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> DeleteProductAsync(
        Guid id, HttpContext context, CatalogDbContext db, CatalogCache cache, CancellationToken cancellationToken)
    {
        var product = await db.Products.FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (product is null) return TypedResults.NotFound();
        if (ETags.PreconditionFails(context.Request, product.Version)) return StaleVersion();

        db.Products.Remove(product);
        if (await TrySaveAsync(db, cancellationToken) is { } failure) return failure;
        await cache.InvalidateAsync([id], lists: true);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<ProductDetails>, ValidationProblem, NotFound, ProblemHttpResult>> SaveChangedProductAsync(
        Product product, HttpContext context, CatalogDbContext db, CatalogCache cache, bool lists, CancellationToken cancellationToken)
    {
        product.UpdatedAt = DateTimeOffset.UtcNow;
        if (await TrySaveAsync(db, cancellationToken) is { } failure) return failure;

        await cache.InvalidateAsync([product.Id], lists);
        context.Response.Headers.ETag = ETags.For(product.Version);
        return TypedResults.Ok(ProductDetails.From(product));
    }

    /// <summary>Saves; a concurrent change (xmin moved since the read) is a 412, a duplicate SKU a 409.</summary>
    private static async Task<ProblemHttpResult?> TrySaveAsync(CatalogDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            return StaleVersion();
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Duplicate SKU", detail: "Another product already has this SKU.");
        }
    }

    private static ProblemHttpResult StaleVersion() => TypedResults.Problem(
        statusCode: StatusCodes.Status412PreconditionFailed, title: "Stale version",
        detail: "The product changed since the version named in If-Match; read it again and retry.");

    private static ProblemHttpResult UnknownCategory(string? slug) => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest, title: "Unknown category",
        detail: $"No category '{slug}'; see GET /api/categories.",
        extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["category"] = ["Unknown category."] } });

    private static string? Normalize(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim().ToLowerInvariant();
}

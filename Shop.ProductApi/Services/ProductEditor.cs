using Microsoft.EntityFrameworkCore;
using Npgsql;
using Shop.ProductApi.Caching;
using Shop.ProductApi.Infrastructure;
using Shop.ProductApi.Model;
using Shop.ServiceDefaults.Refusals;
using Shop.ServiceDefaults.Validation;

namespace Shop.ProductApi.Services;

/// <summary>A product's editable fields, already checked; <see cref="CategorySlug"/> names an existing category or is refused.</summary>
public sealed record ProductDraft(string Sku, string Name, string Description, string CategorySlug, string Brand,
    decimal Price, string Currency, string? ImageUrl);

/// <summary>
/// Admin changes of the catalog. Each change is refused when the product changed since the caller read it
/// (<paramref name="acceptedVersions"/>: null accepts any version, as a request without If-Match does), and
/// invalidates the cached reads it affects.
/// </summary>
public sealed class ProductEditor(ProductsDbContext db, ProductCache cache, TimeProvider time)
{
    public async Task<ProductView> CreateAsync(ProductDraft draft, int stock, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var product = new Product
        {
            Id = Guid.CreateVersion7(now),
            Sku = draft.Sku,
            Name = draft.Name,
            Category = await FindCategoryAsync(draft.CategorySlug, cancellationToken),
            Brand = draft.Brand,
            Currency = draft.Currency,
            Stock = stock,
            CreatedAt = now,
        };
        Apply(product, draft, now);
        db.Products.Add(product);
        await SaveAsync(cancellationToken);
        await cache.InvalidateAsync([product.Id], lists: true);
        return ProductView.From(product);
    }

    public async Task<ProductView> UpdateAsync(Guid id, ProductDraft draft, IReadOnlySet<uint>? acceptedVersions, CancellationToken cancellationToken)
    {
        var product = await FindAsync(id, acceptedVersions, cancellationToken);
        if (product.Category.Slug != draft.CategorySlug)
        {
            product.Category = await FindCategoryAsync(draft.CategorySlug, cancellationToken);
        }
        Apply(product, draft, time.GetUtcNow());
        await SaveAsync(cancellationToken);
        await cache.InvalidateAsync([product.Id], lists: true);
        return ProductView.From(product);
    }

    /// <summary>Sets the units on hand; lists leave stock out, so only the product's own cached read goes.</summary>
    public async Task<ProductView> SetStockAsync(Guid id, int stock, IReadOnlySet<uint>? acceptedVersions, CancellationToken cancellationToken)
    {
        var product = await FindAsync(id, acceptedVersions, cancellationToken);
        product.Stock = stock;
        product.UpdatedAt = time.GetUtcNow();
        await SaveAsync(cancellationToken);
        await cache.InvalidateAsync([product.Id], lists: false);
        return ProductView.From(product);
    }

    public async Task DeleteAsync(Guid id, IReadOnlySet<uint>? acceptedVersions, CancellationToken cancellationToken)
    {
        var product = await FindAsync(id, acceptedVersions, cancellationToken);
        db.Products.Remove(product);
        await SaveAsync(cancellationToken);
        await cache.InvalidateAsync([id], lists: true);
    }

    private static void Apply(Product product, ProductDraft draft, DateTimeOffset now)
    {
        product.Sku = draft.Sku;
        product.Name = draft.Name;
        product.Description = draft.Description;
        product.Brand = draft.Brand;
        product.Price = draft.Price;
        product.Currency = draft.Currency;
        product.ImageUrl = draft.ImageUrl;
        product.UpdatedAt = now;
    }

    private async Task<Product> FindAsync(Guid id, IReadOnlySet<uint>? acceptedVersions, CancellationToken cancellationToken)
    {
        var product = await db.Products.Include(p => p.Category).FirstOrDefaultAsync(p => p.Id == id, cancellationToken)
            ?? throw new NotFoundRefusal("No such product.");
        if (acceptedVersions is not null && !acceptedVersions.Contains(product.Version)) throw StaleVersion();
        return product;
    }

    private async Task<Category> FindCategoryAsync(string slug, CancellationToken cancellationToken) =>
        await db.Categories.FirstOrDefaultAsync(c => c.Slug == slug, cancellationToken)
        ?? throw new InvalidRefusal(FieldErrors.Single("category", "Unknown category."),
            "Unknown category", $"No category '{slug}'; see GET /api/categories.");

    /// <summary>A concurrent change (xmin moved since the read) is a stale version, a duplicate SKU a duplicate.</summary>
    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw StaleVersion();
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw new DuplicateRefusal("Duplicate SKU", "Another product already has this SKU.");
        }
    }

    private static StaleVersionRefusal StaleVersion() =>
        new("The product changed since the version named in If-Match; read it again and retry.");
}

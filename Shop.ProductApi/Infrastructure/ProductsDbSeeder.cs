using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Shop.ProductApi.Infrastructure;

/// <summary>Seeds an empty catalog (<see cref="ProductSeedOptions.SeedOnStartup"/>) with generated categories and products.</summary>
public sealed class ProductsDbSeeder(IOptions<ProductSeedOptions> options, ILogger<ProductsDbSeeder> logger) : IDbSeeder<ProductsDbContext>
{
    public async Task SeedAsync(ProductsDbContext db, CancellationToken cancellationToken)
    {
        if (!options.Value.SeedOnStartup || await db.Products.AnyAsync(cancellationToken)) return;

        var (categories, products) = ProductSeed.Create(options.Value.SeedProductCount);
        var bySlug = await db.Categories.ToDictionaryAsync(c => c.Slug, cancellationToken);
        foreach (var category in categories.Where(c => bySlug.TryAdd(c.Slug, c)))
        {
            db.Categories.Add(category);
        }
        foreach (var product in products)
        {
            product.Category = bySlug[product.Category.Slug];
        }
        db.Products.AddRange(products);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Seeded {ProductCount} products in {CategoryCount} categories", products.Count, categories.Count);
    }
}

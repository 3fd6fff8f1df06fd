using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Shop.ProductApi.Infrastructure;

/// <summary>
/// Migrates productsdb and, on an empty catalog, seeds it, before the service accepts traffic; both replicas start
/// at once, so this runs under the shared advisory-locked migration helper.
/// </summary>
public static class CatalogDatabaseInitializer
{
    public static Task InitializeCatalogDatabaseAsync(this WebApplication app, CancellationToken cancellationToken = default) =>
        app.MigrateDatabaseAsync<CatalogDbContext>(SeedAsync, cancellationToken);

    private static async Task SeedAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<CatalogDbContext>();
        var options = services.GetRequiredService<IOptions<CatalogOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CatalogDatabaseInitializer));
        if (!options.SeedOnStartup || await db.Products.AnyAsync(cancellationToken)) return;

        var (categories, products) = CatalogSeed.Create(options.SeedProductCount);
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

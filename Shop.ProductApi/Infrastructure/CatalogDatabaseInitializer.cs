using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Shop.ProductApi.Infrastructure;

/// <summary>
/// Migrates and (optionally) seeds productsdb before the service accepts traffic. Both replicas start at once, so the
/// whole step runs under a PostgreSQL session advisory lock: the second replica waits, then finds nothing left to do.
/// </summary>
public static class CatalogDatabaseInitializer
{
    // Any stable 64-bit number unique to this database's start-up work.
    private const long AdvisoryLockKey = 0x5348_4F50_5052_4F44; // "SHOPPROD"

    public static async Task InitializeCatalogDatabaseAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var options = scope.ServiceProvider.GetRequiredService<IOptions<CatalogOptions>>().Value;
        var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CatalogDatabaseInitializer));

        await using var lockConnection = new NpgsqlConnection(db.Database.GetConnectionString());
        await lockConnection.OpenAsync(cancellationToken);
        await using (var acquire = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection))
        {
            acquire.Parameters.AddWithValue("key", AdvisoryLockKey);
            await acquire.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            await db.Database.MigrateAsync(cancellationToken);
            if (options.SeedOnStartup && !await db.Products.AnyAsync(cancellationToken))
            {
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
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", lockConnection);
            release.Parameters.AddWithValue("key", AdvisoryLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}

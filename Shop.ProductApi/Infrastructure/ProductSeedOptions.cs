namespace Shop.ProductApi.Infrastructure;

/// <summary>The demo data <see cref="ProductsDbSeeder"/> writes into an empty products table, bound from "ProductSeed".</summary>
public sealed class ProductSeedOptions
{
    public const string SectionName = "ProductSeed";

    /// <summary>Seed the deterministic demo catalog when the products table is empty.</summary>
    public bool SeedOnStartup { get; set; } = true;

    public int SeedProductCount { get; set; } = 1200;
}

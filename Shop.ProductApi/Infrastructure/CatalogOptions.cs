namespace Shop.ProductApi.Infrastructure;

public sealed class CatalogOptions
{
    public const string SectionName = "Catalog";

    /// <summary>Seed the deterministic demo catalog when the products table is empty.</summary>
    public bool SeedOnStartup { get; set; } = true;

    public int SeedProductCount { get; set; } = 1200;
}

namespace Shop.AppHost.Hosting;

public static class ShopProjectExtensions
{
    /// <summary>What every Shop service gets: the token key all of them validate with, and the shared tunables file.</summary>
    public static IResourceBuilder<ProjectResource> WithShopDefaults(this IResourceBuilder<ProjectResource> builder,
        IResourceBuilder<ParameterResource> jwtSigningKey, string settingsFile) =>
        builder
            .WithEnvironment("Jwt__SigningKey", jwtSigningKey)
            .WithEnvironment("SHOP_SETTINGS_FILE", settingsFile)
            .WithHttpHealthCheck("/health");
}

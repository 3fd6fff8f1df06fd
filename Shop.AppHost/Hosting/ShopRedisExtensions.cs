namespace Shop.AppHost.Hosting;

public static class ShopRedisExtensions
{
    /// <summary>
    /// Redis for this run: in publish mode Aspire's container, in run mode a local redis-server process
    /// (<see cref="LocalRedisBuilderExtensions.AddLocalRedis"/>).
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddShopRedis(this IDistributedApplicationBuilder builder, string name) =>
        builder.ExecutionContext.IsPublishMode
            ? builder.AddRedis(name)
            : builder.AddLocalRedis(name);
}

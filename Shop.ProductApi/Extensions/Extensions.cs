using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Shop.ProductApi.Apis;
using Shop.ProductApi.Caching;
using Shop.ProductApi.Grpc;
using Shop.ProductApi.Infrastructure;
using Shop.ProductApi.Inventory;
using Shop.ProductApi.Services;
using Shop.ServiceDefaults.Health;
using Shop.ServiceDefaults.Security;
using StackExchange.Redis;
using Shop.ServiceDefaults.OpenApi;
using Shop.ServiceDefaults.Configuration;

namespace Shop.ProductApi.Extensions;

public static class ProductApiExtensions
{
    public static IHostApplicationBuilder AddProductApiServices(this IHostApplicationBuilder builder)
    {
        builder.AddShopJwtAuthentication();
        builder.AddShopDbContext<ProductsDbContext>(ShopResources.ProductsDb, serverSettings: ProductReader.SearchSettings);
        builder.Services.AddMigration<ProductsDbContext, ProductsDbSeeder>();
        builder.Services.Configure<ProductSeedOptions>(builder.Configuration.GetSection(ProductSeedOptions.SectionName));

        builder.AddProductCache();

        builder.Services.AddScoped<ProductReader>();
        builder.Services.AddScoped<ProductEditor>();
        builder.Services.AddScoped<StockReservations>();
        builder.AddDefaultGrpc();
        builder.AddDefaultOpenApi("Shop product-api", "The catalog: products, search, categories and stock. Reads are public; changes are for admins.",
            new Dictionary<string, string> { ["Products"] = "Products, search and stock.", ["Categories"] = "The catalog's categories." });
        return builder;
    }

    /// <summary>HybridCache: L1 in process, L2 Redis through Aspire's connection, L1 invalidation across replicas via pub/sub.</summary>
    private static void AddProductCache(this IHostApplicationBuilder builder)
    {
        // Redis is a cache here, not a dependency: its own check is registered below as Degraded, not Aspire's Unhealthy one.
        builder.AddOptionalRedisClient();
        builder.Services.AddHealthChecks().AddCheck<RedisCacheHealthCheck>("redis", HealthStatus.Degraded, [HealthTags.Ready]);

        builder.Services.AddOptions<ProductCacheOptions>().Bind(builder.Configuration.GetSection(ProductCacheOptions.SectionName));
        builder.Services.AddSingleton(sp =>
        {
            var connection = sp.GetRequiredService<IConnectionMultiplexer>();
            var redisCache = new RedisCache(Options.Create(new RedisCacheOptions
            {
                ConnectionMultiplexerFactory = () => Task.FromResult(connection),
                InstanceName = "shop:product-api:",
            }));
            return new RedisAvailabilityGuard(redisCache, connection, sp.GetRequiredService<ILogger<RedisAvailabilityGuard>>());
        });
        builder.Services.AddSingleton<IDistributedCache>(sp => sp.GetRequiredService<RedisAvailabilityGuard>());
        builder.Services.AddHybridCache();

        builder.Services.AddSingleton<ProductCacheMetrics>();
        builder.Services.AddSingleton<CacheInvalidationBus>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CacheInvalidationBus>());
        builder.Services.AddSingleton<ProductCache>();
    }

    public static WebApplication MapProductApi(this WebApplication app)
    {
        app.MapProductsApi();
        app.MapGrpcService<ProductGrpcService>();
        app.MapGrpcHealthChecksService();
        return app;
    }
}

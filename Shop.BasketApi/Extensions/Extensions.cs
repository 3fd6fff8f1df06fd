using Shop.BasketApi.Apis;
using Shop.BasketApi.Grpc;
using Shop.BasketApi.Infrastructure;
using Shop.BasketApi.Services;
using Shop.ProductApi.Grpc.V1;
using Shop.ServiceDefaults.OpenApi;
using Shop.ServiceDefaults.Redis;
using Shop.ServiceDefaults.Security;
using Shop.ServiceDefaults.Configuration;

namespace Shop.BasketApi.Extensions;

public static class BasketApiExtensions
{
    public static IHostApplicationBuilder AddBasketApiServices(this IHostApplicationBuilder builder)
    {
        builder.AddShopJwtAuthentication();
        builder.AddDefaultOpenApi("Shop basket-api",
            "The shopping cart: lines priced from the catalog now, anonymous carts by their Cart-Id, merging on sign-in, and checkout through order-api.",
            new Dictionary<string, string> { ["Basket"] = "The caller's cart and its checkout." });

        // Redis holds the carts: it is this service's database, so its health check stays Aspire's (unhealthy when down).
        // While Redis is disconnected a cart call is refused (503) at once instead of queueing for up to 5 s, which held
        // every storefront page that shows the cart badge. A connected but slow Redis keeps the 5 s command timeout: a
        // write refused after it may still have been applied, and a shopper who retries would add the line twice.
        builder.AddRedisClient(ShopResources.Redis, configureOptions: options => options.UseFailFast(commandTimeout: null));
        builder.Services.Configure<BasketOptions>(builder.Configuration.GetSection(BasketOptions.SectionName));
        builder.Services.AddSingleton<RedisBasketStore>();

        builder.Services.AddGrpcClient<ProductService.ProductServiceClient>(o => o.Address = ShopResources.GrpcAddress(ShopResources.ProductApi));
        builder.Services.AddHttpClient<OrdersClient>(client => client.BaseAddress = ShopResources.HttpAddress(ShopResources.OrderApi));
        builder.Services.AddScoped<ProductsClient>();
        builder.Services.AddScoped<BasketService>();
        builder.Services.AddScoped<CheckoutService>();

        builder.AddDefaultGrpc();
        return builder;
    }

    public static WebApplication MapBasketApi(this WebApplication app)
    {
        app.MapBasketsApi();
        app.MapGrpcService<BasketGrpcService>();
        app.MapGrpcHealthChecksService();
        return app;
    }
}

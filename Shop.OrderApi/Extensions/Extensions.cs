using Confluent.Kafka;
using Shop.OrderApi.Apis;
using Shop.OrderApi.Grpc;
using Shop.OrderApi.Infrastructure;
using Shop.OrderApi.IntegrationEvents;
using Shop.OrderApi.Services;
using Shop.ServiceDefaults.Configuration;
using Shop.ServiceDefaults.Security;
using Shop.ServiceDefaults.OpenApi;

namespace Shop.OrderApi.Extensions;

public static class OrderApiExtensions
{
    public static IHostApplicationBuilder AddOrderApiServices(this IHostApplicationBuilder builder)
    {
        builder.AddShopJwtAuthentication();
        builder.AddDefaultOpenApi("Shop order-api", "Orders: creation (priced from the catalog, with an Idempotency-Key), payment, cancellation and the admin's status changes.",
            new Dictionary<string, string> { ["Orders"] = "Orders and their payment." });

        var outboxSignal = new OutboxSignal();
        builder.Services.AddSingleton(outboxSignal);
        builder.AddShopDbContext<OrdersDbContext>(ShopResources.OrdersDb,
            options => options.AddInterceptors(new OutboxSignalInterceptor(outboxSignal)));
        builder.Services.AddMigration<OrdersDbContext>();
        builder.AddOrderGrpcClients();
        builder.AddKafkaProducer<string, string>(ShopResources.Kafka, settings =>
        {
            // Per-partition order survives retries; an unacknowledged message fails after 10 s so the relay backs off.
            settings.Config.EnableIdempotence = true;
            settings.Config.Acks = Acks.All;
            settings.Config.LingerMs = 2;
            settings.Config.MessageTimeoutMs = 10_000;
        });

        builder.Services.Configure<PaymentOptions>(builder.Configuration.GetSection(PaymentOptions.SectionName));
        builder.Services.Configure<OrderExpiryOptions>(builder.Configuration.GetSection(OrderExpiryOptions.SectionName));
        builder.Services.Configure<OrderRecoveryOptions>(builder.Configuration.GetSection(OrderRecoveryOptions.SectionName));
        builder.Services.Configure<OutboxRelayOptions>(builder.Configuration.GetSection(OutboxRelayOptions.SectionName));

        builder.Services.AddScoped<IdempotencyStore>();
        builder.Services.AddScoped<OrderCreator>();
        builder.Services.AddScoped<OrderService>();
        builder.Services.AddScoped<StockReleaser>();
        builder.Services.AddScoped<SimulatedPaymentProvider>();
        builder.Services.AddScoped<OrderPayments>();
        builder.Services.AddScoped<AbandonedClaimSweeper>();
        builder.Services.AddSingleton<PaymentReconciler>();
        builder.Services.AddHostedService<OutboxRelay>();
        builder.Services.AddHostedService<OrderMaintenanceService>();
        builder.Services.AddHostedService<OrderRecoveryService>();
        return builder;
    }

    public static WebApplication MapOrderApi(this WebApplication app)
    {
        app.MapOrdersApi();
        return app;
    }
}

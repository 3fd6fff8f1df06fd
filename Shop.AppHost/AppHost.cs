using Microsoft.Extensions.Configuration;
using Shop.AppHost.Hosting;
using Shop.ServiceDefaults.Configuration;

var builder = DistributedApplication.CreateBuilder(args)
    .UseDirectProjectLaunch()
    .WithoutDcpProcessMonitors();

// Secrets: generated on first run and kept in the AppHost's user secrets, never in the repository.
var jwtSigningKey = builder.AddParameter(ShopParameters.JwtSigningKey, new GenerateParameterDefault { MinLength = 64, Special = false }, secret: true, persist: true);
var postgresPassword = builder.AddParameter(ShopParameters.PostgresPassword, new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true);
var adminEmail = builder.AddParameter(ShopParameters.AdminEmail, "admin@shop.local");
var adminPassword = builder.AddParameter(ShopParameters.AdminPassword, new GenerateParameterDefault { MinLength = 20, Special = false }, secret: true, persist: true);

// Backing services: local processes in run mode (no container engine here), containers in publish mode.
var postgres = builder.AddShopPostgres(ShopResources.Postgres, postgresPassword);
var usersDb = postgres.AddDatabase(ShopResources.UsersDb);
var productsDb = postgres.AddDatabase(ShopResources.ProductsDb);
var ordersDb = postgres.AddDatabase(ShopResources.OrdersDb);
var notificationsDb = postgres.AddDatabase(ShopResources.NotificationsDb);
var redis = builder.AddShopRedis(ShopResources.Redis);
var kafka = builder.AddShopKafka(ShopResources.Kafka)
    .WithTopic(ShopResources.OrdersTopic, partitions: 6)
    .WithTopic(ShopResources.OrdersDeadLetterTopic);

// The live-reloaded tunables file shared by every service (--Shop:SettingsFile=<path> points a run, such as the
// tests', at a copy of its own).
var settingsFile = builder.Configuration[AppHostConfigurationKeys.SettingsFile] is { Length: > 0 } settingsPath
    ? Path.GetFullPath(settingsPath)
    : Path.Combine(builder.AppHostDirectory, AppHostConfigurationKeys.SettingsFileName);

// Replicas of product-api and order-api. Two in publish mode; one on a dev box (`./shop run`, the bench), where a
// second replica doubles the background pollers and the memory on two shared cores. The failover and fault tests
// start their app with --Shop:Replicas=2.
var replicas = builder.Configuration.GetValue<int?>(AppHostConfigurationKeys.Replicas) ?? (builder.ExecutionContext.IsPublishMode ? 2 : 1);

// Every service and the gateway reference Redis and user-api: the shared token check follows account changes on a
// Redis channel and asks user-api (gRPC) about an account Redis does not know.
var userApi = builder.AddProject<Projects.Shop_UserApi>(ShopResources.UserApi)
    .WithShopDefaults(jwtSigningKey, settingsFile)
    .WithShopReplicas(1)
    .WithReference(usersDb).WaitFor(usersDb)
    .WithReference(redis).WaitFor(redis)
    .WithSetting(ShopConfigurationKeys.AdminEmail, adminEmail)
    .WithSetting(ShopConfigurationKeys.AdminPassword, adminPassword);

var productApi = builder.AddProject<Projects.Shop_ProductApi>(ShopResources.ProductApi)
    .WithShopDefaults(jwtSigningKey, settingsFile)
    .WithShopReplicas(replicas)
    .WithReference(productsDb).WaitFor(productsDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(userApi);

var orderApi = builder.AddProject<Projects.Shop_OrderApi>(ShopResources.OrderApi)
    .WithShopDefaults(jwtSigningKey, settingsFile)
    .WithShopReplicas(replicas)
    .WithReference(ordersDb).WaitFor(ordersDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(kafka).WaitFor(kafka)
    .WithReference(userApi).WaitFor(userApi)
    .WithReference(productApi).WaitFor(productApi);

var notifier = builder.AddProject<Projects.Shop_Notifier>(ShopResources.Notifier)
    .WithShopDefaults(jwtSigningKey, settingsFile)
    .WithShopReplicas(1)
    .WithReference(notificationsDb).WaitFor(notificationsDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(userApi)
    .WithReference(kafka).WaitFor(kafka);

// Carts live in Redis; lines are priced from product-api (gRPC) and checked out through order-api (HTTP, as the shopper).
var basketApi = builder.AddProject<Projects.Shop_BasketApi>(ShopResources.BasketApi)
    .WithShopDefaults(jwtSigningKey, settingsFile)
    .WithShopReplicas(1)
    .WithReference(redis).WaitFor(redis)
    .WithReference(userApi)
    .WithReference(productApi).WaitFor(productApi)
    .WithReference(orderApi).WaitFor(orderApi);

var gateway = builder.AddProject<Projects.Shop_Gateway>(ShopResources.Gateway)
    .WithShopDefaults(jwtSigningKey, settingsFile)
    .WithReference(redis).WaitFor(redis)
    .WithReference(userApi).WaitFor(userApi)
    .WithReference(productApi).WaitFor(productApi)
    .WithReference(orderApi).WaitFor(orderApi)
    .WithReference(notifier).WaitFor(notifier)
    .WithReference(basketApi).WaitFor(basketApi)
    .WithExternalHttpEndpoints()
    .WithoutProxy();

// The storefront: a Blazor app that is an ordinary client of the gateway (shopper's tokens kept server-side, Data
// Protection keys in Redis). The gateway believes its X-Forwarded-For only with this generated secret.
var storefrontSecret = builder.AddParameter(ShopParameters.StorefrontSecret, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);
gateway.WithSetting(ShopConfigurationKeys.GatewayStorefrontSecret, storefrontSecret);
builder.AddProject<Projects.Shop_WebApp>(ShopResources.WebApp)
    .WithReference(redis).WaitFor(redis)
    .WithReference(gateway).WaitFor(gateway)
    .WithSetting(ShopConfigurationKeys.StorefrontSecret, storefrontSecret)
    .WithHttpHealthCheck(Microsoft.Extensions.Hosting.Extensions.HealthEndpointPath)
    .WithExternalHttpEndpoints()
    .WithoutProxy();

builder.UseUninstalledContainerRuntimeWhenNoContainers();

builder.Build().Run();

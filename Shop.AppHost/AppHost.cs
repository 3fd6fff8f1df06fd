using Microsoft.Extensions.Configuration;
using Shop.AppHost.Hosting;

var builder = DistributedApplication.CreateBuilder(args)
    .UseDirectProjectLaunch();

// Secrets: generated on first run and kept in the AppHost's user secrets, never in the repository.
var jwtSigningKey = builder.AddParameter("jwt-signing-key", new GenerateParameterDefault { MinLength = 64, Special = false }, secret: true, persist: true);
var postgresPassword = builder.AddParameter("postgres-password", new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true);
var adminEmail = builder.AddParameter("admin-email", "admin@shop.local");
var adminPassword = builder.AddParameter("admin-password", new GenerateParameterDefault { MinLength = 20, Special = false }, secret: true, persist: true);

// Every service and the gateway reference Redis and user-api: the shared token check follows account changes on a
// Redis channel and asks user-api (gRPC) about an account Redis does not know.

// Backing services. Run mode uses local processes (no container engine here); publish mode Aspire's containers.
Func<string, IResourceBuilder<IResourceWithConnectionString>> addDatabase;
IResourceBuilder<IResourceWithConnectionString> redis;
if (builder.ExecutionContext.IsPublishMode)
{
    var postgres = builder.AddPostgres("postgres", password: postgresPassword).WithDataVolume();
    addDatabase = name => postgres.AddDatabase(name);
    redis = builder.AddRedis("redis");
}
else
{
    var postgres = builder.AddLocalPostgres("postgres", postgresPassword);
    if (builder.Configuration["Postgres:DataDirectory"] is { Length: > 0 } dataDirectory)
    {
        postgres.WithDataDirectory(dataDirectory);
    }
    addDatabase = name => postgres.AddDatabase(name);
    redis = builder.AddLocalRedis("redis");
}

var usersDb = addDatabase("usersdb");
var productsDb = addDatabase("productsdb");
var ordersDb = addDatabase("ordersdb");
var notificationsDb = addDatabase("notificationsdb");

var kafka = builder.AddKafka("kafka")
    .WithTopic("orders", partitions: 6)
    .WithTopic("orders.dlt");

// The original design's config centre: one live-reloaded file of tunables shared by every service
// (--Shop:SettingsFile=<path> points a run, such as the tests', at a copy of its own).
var settingsFile = builder.Configuration["Shop:SettingsFile"] is { Length: > 0 } settingsPath
    ? Path.GetFullPath(settingsPath)
    : Path.Combine(builder.AppHostDirectory, "shop.settings.json");

var userApi = builder.AddProject<Projects.Shop_UserApi>("user-api")
    .WithShopDefaults(jwtSigningKey, settingsFile)
    .WithReference(usersDb).WaitFor(usersDb)
    .WithReference(redis).WaitFor(redis)
    .WithEnvironment("Admin__Email", adminEmail)
    .WithEnvironment("Admin__Password", adminPassword);

var productApi = builder.AddProject<Projects.Shop_ProductApi>("product-api")
    .WithShopDefaults(jwtSigningKey, settingsFile)
    .WithReplicas(2)
    .WithReference(productsDb).WaitFor(productsDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(userApi);

var orderApi = builder.AddProject<Projects.Shop_OrderApi>("order-api")
    .WithShopDefaults(jwtSigningKey, settingsFile)
    .WithReplicas(2)
    .WithReference(ordersDb).WaitFor(ordersDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(kafka).WaitFor(kafka)
    .WithReference(userApi).WaitFor(userApi)
    .WithReference(productApi).WaitFor(productApi);

var notifier = builder.AddProject<Projects.Shop_Notifier>("notifier")
    .WithShopDefaults(jwtSigningKey, settingsFile)
    .WithReference(notificationsDb).WaitFor(notificationsDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(userApi)
    .WithReference(kafka).WaitFor(kafka);

// Carts live in Redis; lines are priced from product-api (gRPC) and checked out through order-api (HTTP, as the shopper).
var basketApi = builder.AddProject<Projects.Shop_BasketApi>("basket-api")
    .WithShopDefaults(jwtSigningKey, settingsFile)
    .WithReference(redis).WaitFor(redis)
    .WithReference(userApi)
    .WithReference(productApi).WaitFor(productApi)
    .WithReference(orderApi).WaitFor(orderApi);

var gateway = builder.AddProject<Projects.Shop_Gateway>("gateway")
    .WithShopDefaults(jwtSigningKey, settingsFile)
    .WithReference(redis).WaitFor(redis)
    .WithReference(userApi).WaitFor(userApi)
    .WithReference(productApi).WaitFor(productApi)
    .WithReference(orderApi).WaitFor(orderApi)
    .WithReference(notifier).WaitFor(notifier)
    .WithReference(basketApi).WaitFor(basketApi)
    .WithExternalHttpEndpoints();

// The storefront: a Blazor app that is an ordinary client of the gateway (shopper's tokens kept server-side, Data
// Protection keys in Redis). The gateway believes its X-Forwarded-For only with this generated secret.
var storefrontSecret = builder.AddParameter("storefront-secret", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);
gateway.WithEnvironment("Gateway__Storefront__Secret", storefrontSecret);
builder.AddProject<Projects.Shop_WebApp>("webapp")
    .WithReference(redis).WaitFor(redis)
    .WithReference(gateway).WaitFor(gateway)
    .WithEnvironment("Storefront__Secret", storefrontSecret)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

// Edge settings given to the AppHost (e.g. --Gateway:RateLimiting:Default:TokenLimit=500) win over
// shop.settings.json for that run; names as documented in shop.settings.json.
foreach (var setting in builder.Configuration.GetSection("Gateway").AsEnumerable().Where(s => s.Value is not null))
{
    gateway.WithEnvironment("SHOP_OVERRIDE_" + setting.Key.Replace(":", "__"), setting.Value);
}

builder.Build().Run();

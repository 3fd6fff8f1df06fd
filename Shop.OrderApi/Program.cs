using Shop.OrderApi.Apis;
using Shop.OrderApi.Extensions;
using Shop.OrderApi.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddOrderApiServices();

var app = builder.Build();

app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();
app.MapOpenApi();
app.MapOrdersApi();

await app.MigrateDatabaseAsync<OrderingDbContext>();
app.Run();

using Shop.ProductApi.Extensions;
using Shop.ProductApi.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddProductApiServices();

var app = builder.Build();

await app.InitializeCatalogDatabaseAsync();

app.MapDefaultEndpoints();
app.MapProductApi();

app.Run();

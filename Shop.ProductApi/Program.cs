using Shop.ProductApi.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddProductApiServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapProductApi();

app.Run();

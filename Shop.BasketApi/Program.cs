using Shop.BasketApi.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddBasketApiServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapBasketApi();

app.Run();

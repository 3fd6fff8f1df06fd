using Shop.OrderApi.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddOrderApiServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapOrderApi();

app.Run();

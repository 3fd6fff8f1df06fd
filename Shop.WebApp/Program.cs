using Shop.WebApp.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddWebAppServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapWebApp();

app.Run();

using Shop.Notifier.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNotifierServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapNotifierApi();

app.Run();

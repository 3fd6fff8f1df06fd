using Shop.Gateway.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddGatewayServices();

var app = builder.Build();

app.UseGatewayPipeline();
app.MapDefaultEndpoints();
app.MapGatewayEndpoints();

app.Run();

using Shop.Gateway.Extensions;
using Shop.ServiceDefaults.Health;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddGatewayServices();

var app = builder.Build();

// The gateway's port is public: its /health tells statuses only.
app.MapDefaultEndpoints(HealthDetail.StatusOnly);
app.MapGatewayApi();

app.Run();

using Shop.UserApi.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddUserApiServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapUserApi();

app.Run();

using Shop.Notifier.Apis;
using Shop.Notifier.Extensions;
using Shop.Notifier.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNotifierServices();

var app = builder.Build();

app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();
app.MapOpenApi();
app.MapNotificationsApi();

await app.MigrateDatabaseAsync<NotificationsDbContext>();
app.Run();

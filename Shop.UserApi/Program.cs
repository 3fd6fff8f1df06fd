using Shop.UserApi.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddUserApiServices();

var app = builder.Build();

// Error statuses without a body (404, a malformed JSON body's 400) get a ProblemDetails body too.
app.UseStatusCodePages();

app.MapDefaultEndpoints();
app.MapUserApi();

await app.InitializeUsersDatabaseAsync();
app.Run();

using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Shop.ServiceDefaults.Configuration;
using Shop.ServiceDefaults.OpenApi;
using Shop.ServiceDefaults.Security;
using Shop.ServiceDefaults.Security.AccountState;
using Shop.UserApi.Apis;
using Shop.UserApi.Grpc;
using Shop.UserApi.Infrastructure;
using Shop.UserApi.Model;
using Shop.UserApi.Services;

namespace Shop.UserApi.Extensions;

public static class UserApiExtensions
{
    public static IHostApplicationBuilder AddUserApiServices(this IHostApplicationBuilder builder)
    {
        builder.AddShopDbContext<UsersDbContext>(ShopResources.UsersDb);
        builder.Services.AddMigration<UsersDbContext, AdminAccountSeeder>();
        // Redis is not this service's store: login throttling fails open and account-state reports DEGRADED while it is down.
        builder.AddOptionalRedisClient();
        // Account state comes from this service's own database (registered before the shared check, which asks gRPC otherwise).
        builder.Services.AddSingleton<DatabaseAccountSecuritySource>();
        builder.Services.AddSingleton<IAccountSecuritySource>(sp => sp.GetRequiredService<DatabaseAccountSecuritySource>());
        builder.Services.AddSingleton<AccountStatePublication>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AccountStatePublication>());
        builder.AddShopJwtAuthentication();
        // The client address for login throttling: X-Forwarded-For as the gateway sets it, trusted from loopback only
        // (the default known proxies); anyone else's header is ignored.
        builder.Services.Configure<ForwardedHeadersOptions>(options => options.ForwardedHeaders = ForwardedHeaders.XForwardedFor);
        builder.AddDefaultGrpc();
        builder.AddDefaultOpenApi("Shop user-api", "Accounts: registration, login with JWT access and refresh tokens, the caller's profile and password, and the admin's user management.",
            new Dictionary<string, string> { ["Users"] = "Accounts, sessions and tokens." });

        // PBKDF2 (Identity v3 format); hashes written with older parameters are upgraded at the next login.
        builder.Services.Configure<PasswordHasherOptions>(builder.Configuration.GetSection("PasswordHasher"));
        builder.Services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();

        builder.Services.Configure<LoginThrottlingOptions>(builder.Configuration.GetSection(LoginThrottlingOptions.SectionName));
        builder.Services.AddSingleton<LoginThrottle>();
        builder.Services.AddSingleton<TokenService>();
        builder.Services.AddScoped<UserAccounts>();
        builder.Services.AddScoped<AccountAdministration>();
        builder.Services.AddScoped<Sessions>();
        return builder;
    }

    public static WebApplication MapUserApi(this WebApplication app)
    {
        app.MapUsersApi();
        app.MapGrpcService<UserGrpcService>();
        app.MapGrpcService<AccountSecurityGrpcService>();
        app.MapGrpcHealthChecksService();
        return app;
    }
}

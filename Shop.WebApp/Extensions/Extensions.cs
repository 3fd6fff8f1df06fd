using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Shop.WebApp.Apis;
using Shop.WebApp.Clients.Basket;
using Shop.WebApp.Clients.Notifications;
using Shop.WebApp.Clients.Orders;
using Shop.WebApp.Clients.Products;
using Shop.WebApp.Clients.Users;
using Shop.WebApp.Components;
using Shop.ServiceDefaults.Http;
using Shop.WebApp.Services;
using StackExchange.Redis;
using Shop.ServiceDefaults.Configuration;

namespace Shop.WebApp.Extensions;

public static class WebAppExtensions
{
    /// <summary>The gateway, found by service discovery; every API call of the storefront goes through it.</summary>
    public static readonly Uri GatewayAddress = ShopResources.HttpAddress(ShopResources.Gateway);

    public static void AddWebAppServices(this IHostApplicationBuilder builder)
    {
        // Interactive only where it pays: the cart page's lines and the badge beside them (CartLines, CartBadge).
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddScoped<CartState>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddCascadingAuthenticationState();

        // Data Protection keys in Redis, so every replica reads every replica's cookies. The key ring is read at first use
        // and cached (refreshed about daily), so pages keep working while Redis is down; a storefront that starts while
        // Redis is down cannot protect cookies or forms until it is back.
        builder.AddOptionalRedisClient();
        builder.Services.AddDataProtection().SetApplicationName("Shop.WebApp");
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<IConnectionMultiplexer>((options, redis) =>
                options.XmlRepository = new RedisXmlRepository(() => redis.GetDatabase(), "shop:webapp:data-protection-keys"));

        builder.Services.AddScoped<SessionCookieEvents>();
        builder.Services.AddSingleton<TokenRefresher>();
        builder.Services.AddScoped<ShopperSignIn>();
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = "shop.session";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.LoginPath = "/account/login";
                options.AccessDeniedPath = "/account/denied";
                // The refresh token's lifetime: past it the session is over anyway.
                options.ExpireTimeSpan = TimeSpan.FromDays(14);
                options.SlidingExpiration = false;
                options.EventsType = typeof(SessionCookieEvents);
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy.Name, policy => policy.RequireRole(AdminPolicy.Role));

        // The pages' own stages in the shared pipeline (ServiceDefaults adds authentication and authorization): a
        // failure or a bodiless 4xx of a page is shown as a page, not as the APIs' ProblemDetails.
        var development = builder.Environment.IsDevelopment();
        builder.Services.Configure<ServicePipelineOptions>(pipeline =>
        {
            pipeline.BeforeAuthentication.Add(app =>
            {
                if (!development) app.UseExceptionHandler("/error", createScopeForErrors: true);
                app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
            });
            pipeline.AfterAuthorization.Add(app => app.UseAntiforgery());
        });

        builder.Services.AddTransient<GatewayRequestHandler>();
        AddGatewayClient<UsersClient>(builder.Services);
        AddGatewayClient<ProductsClient>(builder.Services);
        AddGatewayClient<OrdersClient>(builder.Services);
        AddGatewayClient<NotificationsClient>(builder.Services);
        AddGatewayClient<BasketClient>(builder.Services);
    }

    // Payments, checkout and sign-in are not safe to repeat blindly: the standard handler's retries stay for reads.
    // A 429 is the gateway's per-shopper limit: it is shown to that shopper with its wait, never retried (waiting out
    // Retry-After would outlast the request's timeout and spend the shopper's bucket) and never counted by the circuit
    // breaker, which every shopper shares. (RemoveAllResilienceHandlers is marked experimental; it is the way to
    // replace the defaults' handler for one client.)
#pragma warning disable EXTEXP0001
    private static void AddGatewayClient<TClient>(IServiceCollection services) where TClient : class =>
        services.AddHttpClient<TClient>(client => client.BaseAddress = GatewayAddress)
            .AddHttpMessageHandler<GatewayRequestHandler>()
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(options =>
            {
                options.Retry.ShouldHandle = args => ValueTask.FromResult(IsTransientFailure(args.Outcome));
                options.Retry.DisableForUnsafeHttpMethods();
                // A shopper waits for the page: a read that a service refuses (503) is tried twice more, 200 ms apart,
                // and then said on the page, not after three Retry-After waits or the default 2 s exponential backoff.
                // A service restarting is then "temporarily unavailable" for a moment instead of a page held for seconds.
                options.Retry.MaxRetryAttempts = 2;
                options.Retry.BackoffType = Polly.DelayBackoffType.Constant;
                options.Retry.Delay = TimeSpan.FromMilliseconds(200);
                options.Retry.ShouldRetryAfterHeader = false;
                options.CircuitBreaker.ShouldHandle = args => ValueTask.FromResult(IsTransientFailure(args.Outcome));
            });
#pragma warning restore EXTEXP0001

    /// <summary>The standard handler's transient failures (network errors, 408, 5xx) without the gateway's 429.</summary>
    public static bool IsTransientFailure(Outcome<HttpResponseMessage> outcome) =>
        HttpClientResiliencePredicates.IsTransient(outcome) && outcome.Result?.StatusCode != System.Net.HttpStatusCode.TooManyRequests;

    public static WebApplication MapWebApp(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapStorefrontEndpoints();
        app.MapAdminEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}

using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Shop.Gateway.Caching;
using Shop.Gateway.Health;
using Shop.Gateway.OpenApi;
using Shop.Gateway.Proxy;
using Shop.Gateway.RateLimiting;
using Shop.ServiceDefaults.Configuration;
using Shop.ServiceDefaults.Health;
using Shop.ServiceDefaults.Http;
using Shop.ServiceDefaults.Refusals;
using Shop.ServiceDefaults.Security;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;

namespace Shop.Gateway.Extensions;

public static class GatewayExtensions
{
    public static IHostApplicationBuilder AddGatewayServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;

        services.Configure<GatewayOptions>(builder.Configuration.GetSection(GatewayOptions.SectionName));
        services.Configure<RateLimitingOptions>(builder.Configuration.GetSection(RateLimitingOptions.SectionName));
        services.Configure<EdgeCacheOptions>(builder.Configuration.GetSection(EdgeCacheOptions.SectionName));
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel => kestrel.AddServerHeader = false);

        builder.AddShopJwtAuthentication();
        services.AddRequestTimeouts();
        services.AddSingleton<ICorsPolicyProvider, ConfiguredCorsPolicyProvider>();
        services.AddCors();

        // Shared rate-limit buckets: while Redis is down the local buckets decide alone (the rate-limiter check is Degraded).
        builder.AddOptionalRedisClient();
        services.AddSingleton<RedisTokenBuckets>();
        services.AddSingleton<LocalTokenBuckets>();
        services.AddSingleton<EdgeRateLimiter>();
        services.AddHostedService<RateLimitSyncService>();

        services.AddOutputCache();
        services.AddOptions<OutputCacheOptions>().Configure<IOptionsMonitor<EdgeCacheOptions>>(
            (cache, edge) => cache.AddPolicy(ProductCachePolicy.Name, new ProductCachePolicy(edge)));

        services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver()
            .AddTransforms(transforms =>
            {
                // X-Forwarded-For is the client address user-api throttles logins by: set from the connection, so a
                // client's own X-Forwarded-* headers are replaced, never appended to.
                transforms.UseDefaultForwarders = false;
                transforms.AddXForwarded(ForwardedTransformActions.Set);
                transforms.RequestTransforms.Add(new IdentityHeadersTransform());
            });
        services.Replace(ServiceDescriptor.Singleton<IForwarderHttpClientFactory, TunedForwarderHttpClientFactory>());
        services.AddHttpClient(OpenApiEndpoints.HttpClientName);

        var health = services.AddHealthChecks()
            .AddCheck<RateLimiterHealthCheck>("rate-limiter", tags: [HealthTags.Ready]);
        foreach (var cluster in builder.Configuration.GetSection("ReverseProxy:Clusters").GetChildren())
        {
            health.Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration($"cluster:{cluster.Key}",
                sp => new ClusterHealthCheck(sp.GetRequiredService<IProxyStateLookup>(), cluster.Key), failureStatus: null, tags: [HealthTags.Ready]));
        }

        services.Configure<ServicePipelineOptions>(pipeline =>
        {
            pipeline.BeforeAuthentication.Add(app =>
            {
                app.UseMiddleware<EdgeHeadersMiddleware>();
                app.UseMiddleware<StorefrontClientAddressMiddleware>();
                app.UseCors();
                app.UseRouting();
                app.UseRequestTimeouts();
            });
            // After authentication (buckets per caller), before authorization (refused requests count too).
            pipeline.BeforeAuthorization.Add(app => app.UseMiddleware<RateLimitingMiddleware>());
            pipeline.AfterAuthorization.Add(app =>
            {
                app.UseMiddleware<OutputCacheEvictionMiddleware>();
                app.UseOutputCache();
            });
        });

        return builder;
    }

    public static WebApplication MapGatewayApi(this WebApplication app)
    {
        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<ProxyErrorMiddleware>();
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        app.MapOpenApiDocuments();
        app.MapFallback(static IResult () => throw new NotFoundRefusal("No API route matches this path."));
        return app;
    }
}

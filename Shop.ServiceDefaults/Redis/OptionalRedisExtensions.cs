using Shop.ServiceDefaults.Configuration;
using Shop.ServiceDefaults.Redis;

namespace Microsoft.Extensions.Hosting;

public static class OptionalRedisExtensions
{
    /// <summary>
    /// Aspire's Redis client (<see cref="IConnectionMultiplexer"/>, connection string <see cref="ShopResources.Redis"/>)
    /// for a service that keeps working without Redis: a cache, login throttling, shared rate limits, a key ring cached
    /// once read. No Aspire health check: it reports Unhealthy while Redis is down, and the gateway would then stop
    /// routing to a service that could still answer (the service reports its own Degraded check instead). Fails fast
    /// (<see cref="RedisFailFastExtensions.UseFailFast"/>), a command included after 1 s: every use of it has an answer
    /// without Redis.
    /// </summary>
    public static IHostApplicationBuilder AddOptionalRedisClient(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient(ShopResources.Redis,
            settings => settings.DisableHealthChecks = true,
            options => options.UseFailFast(commandTimeout: TimeSpan.FromSeconds(1)));
        return builder;
    }
}

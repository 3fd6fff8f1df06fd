using Shop.ServiceDefaults.Configuration;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

public static class OptionalRedisExtensions
{
    /// <summary>
    /// Aspire's Redis client (<see cref="IConnectionMultiplexer"/>, connection string <see cref="ShopResources.Redis"/>)
    /// for a service that keeps working without Redis: a cache, login throttling, shared rate limits, a key ring cached
    /// once read. No Aspire health check: it reports Unhealthy while Redis is down, and the gateway would then stop
    /// routing to a service that could still answer (the service reports its own Degraded check instead). Fails fast:
    /// while disconnected a command throws <see cref="RedisConnectionException"/> at once rather than queueing, a
    /// connect attempt gives up after 2 s and a command after 1 s (the defaults, 5 s each, held every request that
    /// touched Redis for 5 s while it was down).
    /// </summary>
    public static IHostApplicationBuilder AddOptionalRedisClient(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient(ShopResources.Redis,
            settings => settings.DisableHealthChecks = true,
            options =>
            {
                options.AbortOnConnectFail = false;
                options.BacklogPolicy = BacklogPolicy.FailFast;
                options.ConnectTimeout = 2000;
                options.AsyncTimeout = 1000;
            });
        return builder;
    }
}

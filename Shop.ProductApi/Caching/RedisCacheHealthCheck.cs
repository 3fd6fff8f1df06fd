using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Shop.ProductApi.Caching;

/// <summary>Redis only holds the cache: without it reads still work from PostgreSQL, so its failure is registered as Degraded.</summary>
public sealed class RedisCacheHealthCheck(IConnectionMultiplexer connection) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!connection.IsConnected)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis is unreachable; reads are served from PostgreSQL without the cache.");
        }
        try
        {
            var latency = await connection.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            return HealthCheckResult.Healthy($"Redis answered in {latency.TotalMilliseconds:F1} ms.");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis did not answer; reads are served from PostgreSQL without the cache.");
        }
    }
}

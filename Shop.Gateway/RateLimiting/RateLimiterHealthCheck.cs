using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.Gateway.RateLimiting;

/// <summary>Degraded (not Unhealthy) while the shared Redis buckets are unavailable: the gateway still limits, per process.</summary>
internal sealed class RateLimiterHealthCheck(EdgeRateLimiter limiter, RedisTokenBuckets redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        redis.IsConnected && await limiter.TryLeaveFallbackAsync()
            ? HealthCheckResult.Healthy("Rate limits are shared through Redis.")
            : HealthCheckResult.Degraded("Redis is unavailable: rate limits are enforced per gateway process.");
}

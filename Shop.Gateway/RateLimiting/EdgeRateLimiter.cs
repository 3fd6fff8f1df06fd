using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Shop.Gateway.RateLimiting;

/// <summary>
/// Chooses the bucket store: Redis (shared by all gateway replicas) while it answers, otherwise the per-process
/// fallback, retrying Redis after <see cref="RateLimitingOptions.RedisRetryInterval"/>. The health check reads
/// <see cref="UsingFallback"/> to report Degraded.
/// </summary>
public sealed partial class EdgeRateLimiter(RedisRateLimiter redis, LocalRateLimiter local, IOptionsMonitor<RateLimitingOptions> options,
    TimeProvider time, ILogger<EdgeRateLimiter> logger)
{
    private long _redisRetryAtTicks;

    public bool UsingFallback => Interlocked.Read(ref _redisRetryAtTicks) != 0;

    public async ValueTask<RateLimitDecision> TryAcquireAsync(string group, string partition)
    {
        var settings = options.CurrentValue.For(group);
        var key = $"{group}:{partition}";
        var retryAt = Interlocked.Read(ref _redisRetryAtTicks);
        if (retryAt == 0 || time.GetUtcNow().UtcTicks >= retryAt)
        {
            if (redis.IsConnected)
            {
                try
                {
                    var decision = await redis.TryAcquireAsync(key, settings);
                    if (retryAt != 0)
                    {
                        Interlocked.Exchange(ref _redisRetryAtTicks, 0);
                        LogRedisBack(logger);
                    }
                    return decision;
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    FallBack(ex.Message);
                }
            }
            else
            {
                FallBack("Redis is not connected.");
            }
        }
        return local.TryAcquire(key, settings);
    }

    private void FallBack(string reason)
    {
        var first = Interlocked.Exchange(ref _redisRetryAtTicks, (time.GetUtcNow() + options.CurrentValue.RedisRetryInterval).UtcTicks) == 0;
        if (first) LogFallback(logger, reason);
    }

    [LoggerMessage(LogLevel.Warning, "Rate limiting falls back to per-process buckets: {Reason}")]
    private static partial void LogFallback(ILogger logger, string reason);

    [LoggerMessage(LogLevel.Information, "Rate limiting uses the shared Redis buckets again")]
    private static partial void LogRedisBack(ILogger logger);
}

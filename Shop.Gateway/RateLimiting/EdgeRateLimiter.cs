using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Shop.Gateway.RateLimiting;

/// <summary>
/// Decides each request from this process's <see cref="LocalTokenBuckets"/> and keeps them in step with the shared
/// buckets in Redis: <see cref="RateLimitSyncService"/> sends the grants every
/// <see cref="RateLimitingOptions.SyncInterval"/>, and a bucket that reached
/// <see cref="LocalTokenBuckets.MaxUnsynced"/> grants syncs before its next one. While Redis fails, the grants it
/// missed are dropped and each process enforces the limit alone; the health check reads <see cref="UsingFallback"/>
/// to report Degraded.
/// </summary>
public sealed partial class EdgeRateLimiter(LocalTokenBuckets buckets, RedisTokenBuckets redis, IOptionsMonitor<RateLimitingOptions> options,
    ILogger<EdgeRateLimiter> logger)
{
    private int _failing;

    public bool UsingFallback => Volatile.Read(ref _failing) == 1;

    /// <summary>Completes synchronously unless the caller's bucket must sync first.</summary>
    public ValueTask<RateLimitDecision> TryAcquireAsync(string group, string partition)
    {
        var settings = options.CurrentValue.For(group);
        var bucket = buckets.BucketFor($"{group}:{partition}", settings);
        return buckets.TryAcquire(bucket, settings) is { } decision
            ? ValueTask.FromResult(decision)
            : SyncThenAcquireAsync(bucket, settings);
    }

    /// <summary>Sends the grants to Redis and applies its answer; on failure they are dropped and logged once.</summary>
    public async Task SyncAsync(IReadOnlyList<LocalTokenBuckets.UnsyncedGrants> batch)
    {
        if (batch.Count == 0) return;
        try
        {
            var shared = await redis.SyncAsync(batch);
            for (var i = 0; i < batch.Count; i++) buckets.ApplyShared(batch[i], shared[i].Tokens, shared[i].ResetAfterMs);
            if (Interlocked.Exchange(ref _failing, 0) == 1) LogRedisBack(logger);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            if (Interlocked.Exchange(ref _failing, 1) == 0) LogFallback(logger, ex.Message);
        }
    }

    private async ValueTask<RateLimitDecision> SyncThenAcquireAsync(LocalTokenBuckets.Bucket bucket, RateLimitingOptions.BucketSettings settings)
    {
        await SyncAsync([buckets.TakeUnsynced(bucket)]);
        return buckets.TryAcquire(bucket, settings, evenIfUnsynced: true)!.Value;
    }

    [LoggerMessage(LogLevel.Warning, "Rate limiting falls back to per-process buckets: {Reason}")]
    private static partial void LogFallback(ILogger logger, string reason);

    [LoggerMessage(LogLevel.Information, "Rate limiting uses the shared Redis buckets again")]
    private static partial void LogRedisBack(ILogger logger);
}

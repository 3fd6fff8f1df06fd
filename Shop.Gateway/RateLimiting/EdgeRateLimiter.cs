using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Shop.Gateway.RateLimiting;

/// <summary>
/// Decides each request from this process's <see cref="LocalTokenBuckets"/> and keeps them in step with the shared
/// buckets in Redis: <see cref="RateLimitSyncService"/> sends the grants every
/// <see cref="RateLimitingOptions.SyncInterval"/>, and a request whose bucket needs a sync first (never synced, or
/// <see cref="LocalTokenBuckets.MaxUnsynced"/> uncounted grants) makes it or waits for the one in flight. While
/// Redis fails, the grants it missed are dropped and each process enforces the limit alone; the health check reports
/// Degraded until <see cref="TryLeaveFallbackAsync"/> finds Redis back (a successful sync also leaves the fallback).
/// </summary>
public sealed partial class EdgeRateLimiter(LocalTokenBuckets buckets, RedisTokenBuckets redis, IOptionsMonitor<RateLimitingOptions> options,
    ILogger<EdgeRateLimiter> logger)
{
    /// <summary>Syncs a request waits for before it is decided from the view as it is (a burst on one bucket).</summary>
    private const int MaxSyncWaits = 4;

    private const int Synced = 0, Disconnected = 1, Failed = 2;

    /// <summary>Why the last sync failed, if it did: only a lost connection can be seen mended by a ping.</summary>
    private int _failing;

    public bool UsingFallback => Volatile.Read(ref _failing) != Synced;

    /// <summary>
    /// On a fallback entered because the connection was lost, pings Redis and leaves the fallback if it answers; true
    /// when the shared buckets are in use afterwards. Without it an idle gateway, which makes no sync, would report
    /// Degraded long after Redis is back. A fallback for another failure (a timeout, a script error) waits for a sync
    /// that succeeds: a ping says nothing about those.
    /// </summary>
    public async Task<bool> TryLeaveFallbackAsync()
    {
        if (Volatile.Read(ref _failing) != Disconnected) return !UsingFallback;
        try
        {
            await redis.PingAsync();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return false;
        }
        // Unless a sync failed again meanwhile.
        if (Interlocked.CompareExchange(ref _failing, Synced, Disconnected) == Disconnected) LogRedisBack(logger);
        return !UsingFallback;
    }

    /// <summary>Completes synchronously unless the caller's bucket must sync first.</summary>
    public ValueTask<RateLimitDecision> TryAcquireAsync(string group, string partition)
    {
        var settings = options.CurrentValue.For(group);
        var bucket = buckets.BucketFor($"{group}:{partition}", settings);
        return buckets.TryAcquire(bucket, settings) is { } decision
            ? ValueTask.FromResult(decision)
            : SyncThenAcquireAsync(bucket, settings);
    }

    /// <summary>
    /// Sends the grants to Redis and applies its answer, then completes <paramref name="completion"/>. Never throws:
    /// whatever fails (Redis down or slow, or anything else), the grants are dropped and the failure is logged once.
    /// </summary>
    public async Task SyncAsync(IReadOnlyList<LocalTokenBuckets.UnsyncedGrants> batch, TaskCompletionSource completion)
    {
        try
        {
            if (batch.Count == 0) return;
            var shared = await redis.SyncAsync(batch);
            for (var i = 0; i < batch.Count; i++) buckets.ApplyShared(batch[i], shared[i].Tokens, shared[i].ResetAfterMs);
            if (Interlocked.Exchange(ref _failing, Synced) != Synced) LogRedisBack(logger);
        }
        catch (Exception ex)
        {
            foreach (var grants in batch) buckets.SyncFailed(grants);
            if (Interlocked.Exchange(ref _failing, ex is RedisConnectionException ? Disconnected : Failed) == Synced)
            {
                if (ex is RedisException or TimeoutException) LogFallback(logger, ex.Message);
                else LogUnexpectedFailure(logger, ex);
            }
        }
        finally
        {
            completion.TrySetResult();
        }
    }

    private async ValueTask<RateLimitDecision> SyncThenAcquireAsync(LocalTokenBuckets.Bucket bucket, RateLimitingOptions.BucketSettings settings)
    {
        for (var wait = 0; wait < MaxSyncWaits; wait++)
        {
            var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (buckets.TryTakeUnsynced(bucket, completion.Task, out var inFlight) is { } grants) await SyncAsync([grants], completion);
            else await inFlight!;
            if (buckets.TryAcquire(bucket, settings) is { } decision) return decision;
        }
        return buckets.TryAcquire(bucket, settings, evenIfUnsynced: true)!.Value;
    }

    [LoggerMessage(LogLevel.Warning, "Rate limiting falls back to per-process buckets: {Reason}")]
    private static partial void LogFallback(ILogger logger, string reason);

    [LoggerMessage(LogLevel.Error, "Rate limiting falls back to per-process buckets: the sync with Redis failed unexpectedly")]
    private static partial void LogUnexpectedFailure(ILogger logger, Exception exception);

    [LoggerMessage(LogLevel.Information, "Rate limiting uses the shared Redis buckets again")]
    private static partial void LogRedisBack(ILogger logger);
}

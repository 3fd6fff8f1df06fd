using Microsoft.Extensions.Options;

namespace Shop.Gateway.RateLimiting;

/// <summary>
/// Sends the local grants to Redis at most once per <see cref="RateLimitingOptions.SyncInterval"/>, in one batch, and
/// only while there are some: an idle gateway makes no Redis call.
/// </summary>
internal sealed class RateLimitSyncService(LocalTokenBuckets buckets, EdgeRateLimiter limiter, IOptionsMonitor<RateLimitingOptions> options,
    TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (await buckets.WaitForUnsyncedAsync(stoppingToken))
        {
            await Task.Delay(options.CurrentValue.SyncInterval, time, stoppingToken);
            await limiter.SyncAsync(buckets.TakeUnsynced());
        }
    }
}

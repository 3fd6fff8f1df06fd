using Microsoft.Extensions.Options;

namespace Shop.Gateway.RateLimiting;

/// <summary>
/// Sends the local grants to Redis at most once per <see cref="RateLimitingOptions.SyncInterval"/> (at least 1 ms),
/// in one batch, and only while there are some: an idle gateway makes no Redis call.
/// </summary>
internal sealed class RateLimitSyncService(LocalTokenBuckets buckets, EdgeRateLimiter limiter, IOptionsMonitor<RateLimitingOptions> options,
    TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan ShortestInterval = TimeSpan.FromMilliseconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (await buckets.WaitForUnsyncedAsync(stoppingToken))
        {
            var interval = options.CurrentValue.SyncInterval;
            await Task.Delay(interval > ShortestInterval ? interval : ShortestInterval, time, stoppingToken);
            var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await limiter.SyncAsync(buckets.TakeUnsynced(completion.Task), completion);
        }
    }
}

using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Caching.Hybrid;
using StackExchange.Redis;

namespace Shop.ProductApi.Caching;

/// <param name="Origin">The publishing process's bus (set on publish), so that it skips its own message: it applied it already.</param>
public sealed record CacheInvalidation(string[] Keys, string[] Tags, string? Origin = null);

/// <summary>
/// HybridCache's L1 lives in each replica's memory; a write on one replica must drop the copies on the others.
/// Every invalidation is applied locally and published on a Redis channel that each replica applies too.
/// When the Redis connection comes back, messages may have been missed, so the whole L1 is dropped.
/// Each invalidation is applied a second time shortly after: a load that read the old row just before the write
/// committed, and stored it just after the first invalidation, would otherwise serve stale data until expiry.
/// A replica skips the messages it published itself: every reservation invalidates its products, and the echo
/// doubled the Redis deletes of each.
/// </summary>
public sealed class CacheInvalidationBus(IConnectionMultiplexer connection, HybridCache cache, TimeProvider time, ILogger<CacheInvalidationBus> logger)
    : IHostedService
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("shop:product-api:cache-invalidation");
    private static readonly TimeSpan ReapplyDelay = TimeSpan.FromSeconds(1);
    private readonly string _origin = Guid.NewGuid().ToString("N");

    /// <summary>Invalidations started by <see cref="PublishInBackground"/> and not finished: a graceful stop waits for them.</summary>
    private readonly ConcurrentDictionary<Task, byte> _inBackground = new();

    public async Task PublishAsync(CacheInvalidation invalidation)
    {
        await ApplyAsync(invalidation);
        if (!connection.IsConnected) return;
        try
        {
            await connection.GetSubscriber().PublishAsync(Channel, JsonSerializer.Serialize(invalidation with { Origin = _origin }, JsonSerializerOptions.Web));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Could not publish a cache invalidation; other replicas keep their copies until expiry");
        }
    }

    /// <summary>
    /// <see cref="PublishAsync"/> for a caller that does not wait for it: it starts here (the first key leaves this
    /// replica's L1 before this returns) and a failure is logged, never thrown.
    /// </summary>
    public void PublishInBackground(CacheInvalidation invalidation)
    {
        var publishing = PublishLoggingFailureAsync(invalidation);
        if (publishing.IsCompleted) return;
        _inBackground.TryAdd(publishing, 0);
        _ = publishing.ContinueWith(done => _inBackground.TryRemove(done, out _), TaskScheduler.Default);
    }

    private async Task PublishLoggingFailureAsync(CacheInvalidation invalidation)
    {
        try
        {
            await PublishAsync(invalidation);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "A cache invalidation failed; the entries stay until they expire");
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        connection.ConnectionRestored += OnConnectionRestored;
        try
        {
            // The client keeps the subscription and re-establishes it after every reconnect.
            await connection.GetSubscriber().SubscribeAsync(Channel, (channel, message) => _ = OnMessageAsync(message), CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Could not subscribe to cache invalidations; the cache is bypassed until Redis is reachable");
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The answers went out before their invalidations: let those reach Redis and the other replicas first.
        await Task.WhenAll(_inBackground.Keys).WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        connection.ConnectionRestored -= OnConnectionRestored;
        if (!connection.IsConnected) return;
        try
        {
            await connection.GetSubscriber().UnsubscribeAsync(Channel);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogDebug(ex, "Could not unsubscribe from cache invalidations at shutdown");
        }
    }

    private async Task OnMessageAsync(RedisValue message)
    {
        try
        {
            if (JsonSerializer.Deserialize<CacheInvalidation>(message.ToString(), JsonSerializerOptions.Web) is { } invalidation
                && invalidation.Origin != _origin)
            {
                await ApplyAsync(invalidation);
            }
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Ignoring a malformed cache invalidation message");
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType != ConnectionType.Interactive) return;
        logger.LogInformation("Redis connection restored; dropping the local cache, invalidations may have been missed");
        _ = cache.RemoveByTagAsync("*").AsTask();
    }

    private async Task ApplyAsync(CacheInvalidation invalidation)
    {
        await RemoveAsync(invalidation);
        _ = ReapplyLaterAsync(invalidation);
    }

    private async Task ReapplyLaterAsync(CacheInvalidation invalidation)
    {
        try
        {
            await Task.Delay(ReapplyDelay, time);
            await RemoveAsync(invalidation);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Delayed cache invalidation failed");
        }
    }

    private async Task RemoveAsync(CacheInvalidation invalidation)
    {
        foreach (var key in invalidation.Keys) await cache.RemoveAsync(key);
        if (invalidation.Tags.Length > 0) await cache.RemoveByTagAsync(invalidation.Tags);
    }
}

using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Caching.Hybrid;
using StackExchange.Redis;

namespace Shop.ProductApi.Caching;

/// <param name="Origin">The publishing process's bus (set on publish), so that it skips its own message: it applied it already.</param>
public sealed record CacheInvalidation(string[] Keys, string[] Tags, string? Origin = null)
{
    /// <summary>One invalidation dropping every key and tag of <paramref name="invalidations"/> (each once).</summary>
    public static CacheInvalidation Merge(IReadOnlyList<CacheInvalidation> invalidations) => invalidations.Count == 1
        ? invalidations[0]
        : new(invalidations.SelectMany(i => i.Keys).Distinct().ToArray(), invalidations.SelectMany(i => i.Tags).Distinct().ToArray());
}

/// <summary>
/// HybridCache's L1 lives in each replica's memory; a write on one replica must drop the copies on the others.
/// Every invalidation is applied locally and published on a Redis channel that each replica applies too.
/// When the Redis connection comes back, messages may have been missed, so the whole L1 is dropped.
/// Each invalidation is applied a second time shortly after: a load that read the old row just before the write
/// committed, and stored it just after the first invalidation, would otherwise serve stale data until expiry.
/// A replica skips the messages it published itself: every reservation invalidates its products, and the echo
/// doubled the Redis deletes of each. Invalidations nobody waits for (each reservation's) go out in batches: all
/// that arrived while the previous batch was being sent make one, so under load a batch's Redis commands serve
/// several orders (at idle a batch is one reservation, sent at once).
/// </summary>
public sealed class CacheInvalidationBus(IConnectionMultiplexer connection, HybridCache cache, TimeProvider time, ILogger<CacheInvalidationBus> logger)
    : IHostedService
{
    private static readonly RedisChannel Topic = RedisChannel.Literal("shop:product-api:cache-invalidation");
    private static readonly TimeSpan ReapplyDelay = TimeSpan.FromSeconds(1);
    private readonly string _origin = Guid.NewGuid().ToString("N");

    /// <summary>Invalidations from <see cref="PublishInBackground"/> waiting for the batch being sent to finish.</summary>
    private readonly Channel<CacheInvalidation> _background = Channel.CreateUnbounded<CacheInvalidation>(new() { SingleReader = true });
    private Task _sendingBatches = Task.CompletedTask;

    /// <summary>Drops the keys and tags here and tells the other replicas; the Redis commands are not awaited one by one.</summary>
    public async Task PublishAsync(CacheInvalidation invalidation)
    {
        // The L2 deletes are handed to the connection before the PUBLISH (today's HybridCache and RedisCache reach the client
        // without awaiting first, and one connection keeps its commands' order), so a replica that drops its L1 on
        // the message cannot reload the old value from L2. Were that to change, the re-apply a second later still holds.
        var applying = ApplyAsync(invalidation);
        try
        {
            if (connection.IsConnected)
            {
                await connection.GetSubscriber().PublishAsync(Topic, JsonSerializer.Serialize(invalidation with { Origin = _origin }, JsonSerializerOptions.Web));
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Could not publish a cache invalidation; other replicas keep their copies until expiry");
        }
        finally
        {
            await applying;
        }
    }

    /// <summary>
    /// <see cref="PublishAsync"/> for a caller that does not wait for it: it goes out with the next batch, and a
    /// failure is logged, never thrown. A graceful stop sends what is queued first. Even this replica's L1 keeps
    /// the entries until the batch goes (at most the batch in flight's Redis timeout, 1 s): the reservations'
    /// callers accept that, since a cached stock figure only informs and the reservation checks the rows.
    /// </summary>
    public void PublishInBackground(CacheInvalidation invalidation)
    {
        if (_background.Writer.TryWrite(invalidation)) return;
        // After the stop (a request that outlived the drain): sent alone, as nothing sends batches any more.
        _ = PublishLoggingFailureAsync(invalidation);
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

    private async Task SendBatchesAsync()
    {
        var queued = new List<CacheInvalidation>();
        while (await _background.Reader.WaitToReadAsync())
        {
            while (_background.Reader.TryRead(out var next)) queued.Add(next);
            await PublishLoggingFailureAsync(CacheInvalidation.Merge(queued));
            queued.Clear();
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _sendingBatches = Task.Run(SendBatchesAsync, CancellationToken.None);
        connection.ConnectionRestored += OnConnectionRestored;
        try
        {
            // The client keeps the subscription and re-establishes it after every reconnect.
            await connection.GetSubscriber().SubscribeAsync(Topic, (channel, message) => _ = OnMessageAsync(message), CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Could not subscribe to cache invalidations; the cache is bypassed until Redis is reachable");
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The answers went out before their invalidations: let those reach Redis and the other replicas first.
        _background.Writer.TryComplete();
        await _sendingBatches.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        connection.ConnectionRestored -= OnConnectionRestored;
        if (!connection.IsConnected) return;
        try
        {
            await connection.GetSubscriber().UnsubscribeAsync(Topic);
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
        // Not one by one: the client sends concurrent commands without waiting for each reply.
        var removals = invalidation.Keys.Select(key => cache.RemoveAsync(key).AsTask()).ToList();
        if (invalidation.Tags.Length > 0) removals.Add(cache.RemoveByTagAsync(invalidation.Tags).AsTask());
        await Task.WhenAll(removals);
    }
}

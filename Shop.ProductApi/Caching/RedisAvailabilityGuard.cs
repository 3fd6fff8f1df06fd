using System.Buffers;
using Microsoft.Extensions.Caching.Distributed;
using StackExchange.Redis;

namespace Shop.ProductApi.Caching;

/// <summary>
/// HybridCache's L2. While Redis is unreachable every call is a fast miss or no-op instead of waiting for the
/// client's backlog timeout, so a Redis outage costs reads nothing but the database round trip.
/// </summary>
public sealed class RedisAvailabilityGuard(IBufferDistributedCache redisCache, IConnectionMultiplexer connection, ILogger<RedisAvailabilityGuard> logger)
    : IBufferDistributedCache
{
    public bool IsAvailable => connection.IsConnected;

    public byte[]? Get(string key) => Guard(() => redisCache.Get(key), null);

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => GuardAsync(() => redisCache.GetAsync(key, token), null);

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => Guard(() => { redisCache.Set(key, value, options); return true; }, false);

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        GuardAsync(async () => { await redisCache.SetAsync(key, value, options, token); return true; }, false);

    public void Refresh(string key) => Guard(() => { redisCache.Refresh(key); return true; }, false);

    public Task RefreshAsync(string key, CancellationToken token = default) => GuardAsync(async () => { await redisCache.RefreshAsync(key, token); return true; }, false);

    public void Remove(string key) => Guard(() => { redisCache.Remove(key); return true; }, false);

    public Task RemoveAsync(string key, CancellationToken token = default) => GuardAsync(async () => { await redisCache.RemoveAsync(key, token); return true; }, false);

    public bool TryGet(string key, IBufferWriter<byte> destination) => Guard(() => redisCache.TryGet(key, destination), false);

    public ValueTask<bool> TryGetAsync(string key, IBufferWriter<byte> destination, CancellationToken token = default) =>
        new(GuardAsync(async () => await redisCache.TryGetAsync(key, destination, token), false));

    public void Set(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options) => Guard(() => { redisCache.Set(key, value, options); return true; }, false);

    public ValueTask SetAsync(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        new(GuardAsync(async () => { await redisCache.SetAsync(key, value, options, token); return true; }, false));

    private T Guard<T>(Func<T> call, T unavailable)
    {
        if (!IsAvailable) return unavailable;
        try
        {
            return call();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Redis cache call failed; continuing without L2");
            return unavailable;
        }
    }

    private async Task<T> GuardAsync<T>(Func<Task<T>> call, T unavailable)
    {
        if (!IsAvailable) return unavailable;
        try
        {
            return await call();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Redis cache call failed; continuing without L2");
            return unavailable;
        }
    }
}

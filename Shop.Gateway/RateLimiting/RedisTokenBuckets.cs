using StackExchange.Redis;

namespace Shop.Gateway.RateLimiting;

/// <summary>
/// The shared buckets every gateway replica syncs with: one atomic Lua script per batch of buckets, on Redis's own
/// clock so every replica agrees on time. Same refill as <see cref="TokenBucket.Replenish"/>; then a bucket holds
/// at most its limit, and grants beyond it are forgiven (it stops at 0).
/// </summary>
public sealed class RedisTokenBuckets(IConnectionMultiplexer redis)
{
    public const string KeyPrefix = "shop:ratelimit:";

    /// <summary>Buckets per script run, so that one run keeps Redis busy for well under a millisecond.</summary>
    private const int MaxBucketsPerRun = 256;

    // KEYS: the buckets. ARGV, four per bucket: token limit, tokens per period, period (ms), tokens granted since the
    // last sync. Returns, two per bucket: tokens left, ms until the next refill. Grants beyond the bucket are forgiven
    // (it stops at 0): the replicas that made them already refuse.
    private const string Script = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local answer = {}
        for i, key in ipairs(KEYS) do
          local base = (i - 1) * 4
          local limit = tonumber(ARGV[base + 1])
          local per = tonumber(ARGV[base + 2])
          local period = tonumber(ARGV[base + 3])
          local taken = tonumber(ARGV[base + 4])
          local state = redis.call('HMGET', key, 'tokens', 'clock')
          local tokens = tonumber(state[1])
          local clock = tonumber(state[2])
          if tokens == nil or clock == nil then
            tokens = limit
            clock = now
          end
          local periods = math.floor((now - clock) / period)
          if periods > 0 then
            tokens = tokens + periods * per
            clock = clock + periods * period
          end
          tokens = math.max(0, math.min(limit, tokens) - taken)
          redis.call('HSET', key, 'tokens', tokens, 'clock', clock)
          redis.call('PEXPIRE', key, period * (math.ceil(limit / per) + 1))
          answer[#answer + 1] = tokens
          answer[#answer + 1] = clock + period - now
        end
        return answer
        """;

    public bool IsConnected => redis.IsConnected;

    /// <summary>Round trip to Redis; throws <see cref="RedisException"/> or <see cref="TimeoutException"/> when it does not answer.</summary>
    public Task PingAsync() => redis.GetDatabase().PingAsync();

    /// <summary>
    /// Adds each batch entry's grants to its shared bucket and returns the buckets as they are then, in batch order.
    /// Throws <see cref="RedisException"/> or <see cref="TimeoutException"/> when Redis does not answer.
    /// </summary>
    public async Task<(long Tokens, long ResetAfterMs)[]> SyncAsync(IReadOnlyList<LocalTokenBuckets.UnsyncedGrants> batch)
    {
        var database = redis.GetDatabase();
        var shared = new (long, long)[batch.Count];
        for (var start = 0; start < batch.Count; start += MaxBucketsPerRun)
        {
            var run = batch.Skip(start).Take(MaxBucketsPerRun).ToList();
            var keys = run.Select(grants => new RedisKey(KeyPrefix + grants.Bucket.Key)).ToArray();
            var values = run.SelectMany(grants => new RedisValue[]
            {
                grants.Settings.TokenLimit, Math.Max(1, grants.Settings.TokensPerPeriod), grants.Settings.PeriodMs, grants.Taken,
            }).ToArray();
            var answer = (RedisResult[])(await database.ScriptEvaluateAsync(Script, keys, values))!;
            for (var i = 0; i < run.Count; i++) shared[start + i] = ((long)answer[2 * i], Math.Max(0, (long)answer[2 * i + 1]));
        }
        return shared;
    }
}

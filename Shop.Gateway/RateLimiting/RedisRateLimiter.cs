using StackExchange.Redis;

namespace Shop.Gateway.RateLimiting;

/// <summary>
/// The shared bucket: one atomic Lua script per request on Redis, using Redis's own clock so every gateway replica
/// agrees on time. Same arithmetic as <see cref="TokenBucket.Replenish"/>.
/// </summary>
public sealed class RedisRateLimiter(IConnectionMultiplexer redis)
{
    public const string KeyPrefix = "shop:ratelimit:";

    // KEYS[1] bucket; ARGV: token limit, tokens per period, period (ms). Returns {allowed, remaining, ms until next refill}.
    private const string Script = """
        local limit = tonumber(ARGV[1])
        local per = tonumber(ARGV[2])
        local period = tonumber(ARGV[3])
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'clock')
        local tokens = tonumber(state[1])
        local clock = tonumber(state[2])
        if tokens == nil or clock == nil then
          tokens = limit
          clock = now
        end
        local periods = math.floor((now - clock) / period)
        if periods > 0 then
          tokens = math.min(limit, tokens + periods * per)
          clock = clock + periods * period
        end
        local allowed = 0
        if tokens >= 1 then
          tokens = tokens - 1
          allowed = 1
        end
        redis.call('HSET', KEYS[1], 'tokens', tokens, 'clock', clock)
        redis.call('PEXPIRE', KEYS[1], period * (math.ceil(limit / per) + 1))
        return { allowed, tokens, clock + period - now }
        """;

    public bool IsConnected => redis.IsConnected;

    public async Task<RateLimitDecision> TryAcquireAsync(string key, RateLimitingOptions.BucketSettings settings)
    {
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Script,
            [new RedisKey(KeyPrefix + key)],
            [settings.TokenLimit, Math.Max(1, settings.TokensPerPeriod), settings.PeriodMs]))!;
        return new RateLimitDecision((long)result[0] == 1, (long)result[1], TimeSpan.FromMilliseconds(Math.Max(0, (long)result[2])),
            settings.TokenLimit);
    }
}

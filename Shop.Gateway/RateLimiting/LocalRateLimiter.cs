using System.Collections.Concurrent;

namespace Shop.Gateway.RateLimiting;

/// <summary>
/// Per-process buckets used while Redis is unreachable: each gateway replica then enforces the limit on its own
/// (so N replicas admit up to N times the limit) instead of failing open. Idle buckets are swept.
/// </summary>
public sealed class LocalRateLimiter(TimeProvider time)
{
    private sealed class Bucket
    {
        public long Tokens;
        public long ClockMs;

        /// <summary>Idle this long, the bucket is full again and can go: judged by its own group's period.</summary>
        public long IdleAfterMs;
    }

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new();
    private long _lastSweepMs;

    public RateLimitDecision TryAcquire(string key, RateLimitingOptions.BucketSettings settings)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        Sweep(now);
        var idleAfterMs = Math.Max(60_000, settings.PeriodMs * 2);
        var bucket = _buckets.GetOrAdd(key, _ => new Bucket { Tokens = settings.TokenLimit, ClockMs = now, IdleAfterMs = idleAfterMs });
        lock (bucket)
        {
            Volatile.Write(ref bucket.IdleAfterMs, idleAfterMs);
            (bucket.Tokens, bucket.ClockMs) = TokenBucket.Replenish(bucket.Tokens, bucket.ClockMs, now, settings);
            var allowed = bucket.Tokens >= 1;
            if (allowed) bucket.Tokens--;
            var resetMs = bucket.ClockMs + settings.PeriodMs - now;
            return new RateLimitDecision(allowed, bucket.Tokens, TimeSpan.FromMilliseconds(Math.Max(0, resetMs)), settings.TokenLimit);
        }
    }

    private void Sweep(long now)
    {
        var last = Interlocked.Read(ref _lastSweepMs);
        if (now - last < 60_000 || Interlocked.CompareExchange(ref _lastSweepMs, now, last) != last) return;
        foreach (var (key, bucket) in _buckets)
        {
            if (now - Volatile.Read(ref bucket.ClockMs) > Volatile.Read(ref bucket.IdleAfterMs)) _buckets.TryRemove(key, out _);
        }
    }
}
